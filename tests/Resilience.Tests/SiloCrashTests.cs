using System.Diagnostics;
using Billing.Resilience.Tests.Infrastructure;

namespace Billing.Resilience.Tests;

/// <summary>A silo SIGKILLed under webhook load: nothing is lost or applied twice, and the window of failures is short.</summary>
public sealed class SiloCrashTests(ITestOutputHelper output) : ClusterTestBase(output)
{
    [Fact]
    public async Task A_silo_killed_under_load_loses_no_event_and_no_delivery()
    {
        var total = Stopwatch.StartNew();
        var cluster = await StartClusterAsync(silos: 3);
        var windows = new List<FailureWindow>();
        var load = await RunUnderLoadAsync(async load =>
        {
            for (var round = 1; round <= (LongRun ? 3 : 1); round++)
            {
                await Task.Delay(TimeSpan.FromSeconds(LongRun ? 10 : 4));
                var victim = cluster.Silos[0];
                var killedAt = load.Now;
                cluster.Kill(victim);
                var dead = await cluster.TimeUntilDeadAsync(victim, TimeSpan.FromSeconds(30));
                Output.WriteLine($"round {round}: SIGKILL of silo-{victim.Number} at {killedAt.TotalSeconds:F1} s; " +
                    $"declared Dead after {(dead is { } d ? $"{d.TotalSeconds:F1} s" : "more than 30 s")}");

                // Let the failure window play out under load, then bring the cluster back to three silos.
                var settle = TimeSpan.FromSeconds(10) - (load.Now - killedAt);
                if (settle > TimeSpan.Zero)
                {
                    await Task.Delay(settle);
                }

                var replacement = await cluster.StartSiloAsync();
                Output.WriteLine($"round {round}: silo-{replacement.Number} Active at {load.Now.TotalSeconds:F1} s");
                await Task.Delay(TimeSpan.FromSeconds(3));
                var window = load.WindowSince(killedAt);
                windows.Add(window);
                Output.WriteLine($"round {round}: failure window after the kill: {window}");
            }
        });

        await VerifyAsync(load);
        Output.WriteLine($"measured failure window (kill → last non-2xx): {string.Join(", ", windows.Select(w => $"{w.Length.TotalSeconds:F1} s"))}; " +
            $"test took {total.Elapsed.TotalSeconds:F0} s");

        // Tuned, the last failure comes ≈6 s after the kill on an idle machine (Orleans' defaults: ≈30 s). Loose
        // here because ./test.sh runs the test projects side by side on two cores: 15.5 s was seen under that load.
        Assert.All(windows, window => Assert.True(window.Length <= TimeSpan.FromSeconds(25), $"failure window {window}"));
    }
}
