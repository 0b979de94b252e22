using System.Diagnostics;
using Billing.Resilience.Tests.Infrastructure;

namespace Billing.Resilience.Tests;

/// <summary>
/// Every silo replaced one by one under webhook load, as a deploy does: SIGTERM, wait for the process to exit, start
/// a replacement, wait until it is Active, next. A graceful stop hands its grains over without one error to callers.
/// </summary>
public sealed class RollingRestartTests(ITestOutputHelper output) : ClusterTestBase(output)
{
    [Fact]
    public async Task A_rolling_restart_with_SIGTERM_under_load_answers_every_webhook_2xx_and_loses_nothing()
    {
        var total = Stopwatch.StartNew();
        var cluster = await StartClusterAsync(silos: 3);
        var stopTimes = new List<TimeSpan>();
        var (began, ended) = (TimeSpan.Zero, TimeSpan.Zero);
        var load = await RunUnderLoadAsync(async load =>
        {
            await Task.Delay(TimeSpan.FromSeconds(LongRun ? 10 : 3));
            began = load.Now;
            for (var round = 1; round <= (LongRun ? 3 : 1); round++)
            {
                foreach (var silo in cluster.Silos.ToArray())
                {
                    var stoppingAt = load.Now;
                    var stop = await cluster.TerminateAsync(silo);
                    stopTimes.Add(stop);
                    var replacement = await cluster.StartSiloAsync();
                    Output.WriteLine($"SIGTERM of silo-{silo.Number} at {stoppingAt.TotalSeconds:F1} s: exited after {stop.TotalSeconds:F1} s; " +
                        $"silo-{replacement.Number} Active {(load.Now - stoppingAt - stop).TotalSeconds:F1} s later; " +
                        $"answers since the SIGTERM: {load.WindowSince(stoppingAt)}");
                    if (LongRun)
                    {
                        await Task.Delay(TimeSpan.FromSeconds(5));
                    }
                }
            }

            ended = load.Now;
            await Task.Delay(TimeSpan.FromSeconds(LongRun ? 10 : 3));
        });

        var restart = load.WindowSince(began);
        var attempts = load.Attempts.ToArray();
        var during = attempts.Count(a => a.EndedAt >= began && a.EndedAt <= ended);
        var outcome = await VerifyAsync(load);
        Output.WriteLine($"rolling restart of {stopTimes.Count} silo(s) took {(ended - began).TotalSeconds:F1} s, {during} answers during it: {restart}; " +
            $"stop times {string.Join(", ", stopTimes.Select(s => $"{s.TotalSeconds:F1} s"))}");
        Output.WriteLine($"sent {load.Customers.Sum(c => c.Events.Count)}, 2xx {attempts.Count(a => a.Succeeded)}, non-2xx {attempts.Count(a => !a.Succeeded)}, " +
            $"retried {attempts.Where(a => !a.Succeeded).Select(a => a.EventId).Distinct().Count()}, lost {outcome.Lost}, doubled {outcome.Doubled}; " +
            $"test took {total.Elapsed.TotalSeconds:F0} s");

        // The issue's measure of a graceful stop: not one non-2xx answer to Stripe during the whole rolling restart.
        Assert.True(during > 0, "no webhook was answered during the rolling restart");
        Assert.Equal(0, restart.Failures);
        Assert.DoesNotContain(attempts, a => !a.Succeeded);
    }
}
