using Billing.Testing.Network;
using System.Globalization;
using System.Text;
using Billing.Resilience.Tests.Infrastructure;
using Npgsql;

namespace Billing.Resilience.Tests;

/// <summary>
/// A silo's <c>/readyz</c> follows its membership (what a rollout with <c>maxUnavailable: 0</c> waits on), while
/// <c>/healthz</c> (liveness) answers whatever the membership says, from the first moment of the join.
/// </summary>
public sealed class SiloReadinessTests(ITestOutputHelper output) : ClusterTestBase(output)
{
    [Fact]
    public async Task Readyz_is_200_only_while_the_silo_is_Active_and_healthz_answers_while_it_joins()
    {
        var cluster = await StartClusterAsync(silos: 1);

        // The new silo reaches PostgreSQL through a proxy that holds its traffic back for a while (a silo started
        // while PostgreSQL refuses connections exits at once): it cannot join before the restore, so the window in
        // which it runs but is not Active is seconds long, whatever the machine's load.
        var direct = new NpgsqlConnectionStringBuilder(Database.ConnectionString);
        await using var proxy = await TcpProxy.StartAsync(direct.Host!, direct.Port);
        proxy.Cut(Outage.Stall);
        var silo = cluster.LaunchSilo(new NpgsqlConnectionStringBuilder(Database.ConnectionString) { Host = "127.0.0.1", Port = proxy.Port }.ConnectionString);
        var probe = new HealthProbe(cluster, silo);
        TimeSpan restoredAt, activeAt, terminatedAt, stop;
        await using (probe)
        {
            await Task.Delay(TimeSpan.FromSeconds(4));
            restoredAt = probe.Now;
            proxy.Restore();
            await cluster.WaitUntilActiveAsync(silo);
            activeAt = probe.Now;
            await Task.Delay(TimeSpan.FromSeconds(2));
            terminatedAt = probe.Now;
            stop = await cluster.TerminateAsync(silo);
            await Task.Delay(TimeSpan.FromMilliseconds(300));
        }

        var samples = probe.Samples;
        Output.WriteLine($"silo-{silo.Number}: database stalled until {restoredAt.TotalSeconds:F2} s, Active in the table at {activeAt.TotalSeconds:F2} s, SIGTERM at {terminatedAt.TotalSeconds:F2} s, " +
            $"exited {stop.TotalSeconds:F2} s later; {samples.Count} samples (healthz/readyz/membership):\n{Transitions(samples)}");

        // Joining: the health port answers before the silo is Active, liveness 200 and readiness 503.
        var beforeActive = samples.Where(s => s.At < activeAt && s.Membership is null or < BillingCluster.Active).ToArray();
        Assert.Contains(beforeActive, s => s.Live == 200 && s.Ready == 503);

        // Never ready unless the table shows the silo Active (the silo marks itself Active only after writing it).
        Assert.All(samples.Where(s => s.Ready == 200), s => Assert.Equal(BillingCluster.Active, s.Membership));

        // Active and not stopping: ready and live, every time.
        var steady = samples.Where(s => s.At > activeAt && s.At < terminatedAt && s.Membership == BillingCluster.Active).ToArray();
        Assert.NotEmpty(steady);
        Assert.All(steady, s => Assert.Equal((200, 200), (s.Live, s.Ready)));

        // After SIGTERM: not ready (503 while it hands its grains over, then nothing listens) until it is gone.
        var afterTerm = samples.Where(s => s.At > terminatedAt + TimeSpan.FromMilliseconds(100)).ToArray();
        Assert.NotEmpty(afterTerm);
        Assert.DoesNotContain(afterTerm, s => s.Ready == 200);
    }

    // Only the samples where something changed, so the output stays short.
    private static string Transitions(IReadOnlyList<HealthSample> samples)
    {
        var text = new StringBuilder();
        HealthSample? previous = null;
        foreach (var sample in samples)
        {
            if (previous is null || (previous.Live, previous.Ready, previous.Membership) != (sample.Live, sample.Ready, sample.Membership))
            {
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"  {sample.At.TotalSeconds,6:F2} s: {sample.Live}/{sample.Ready}/{sample.Membership?.ToString(CultureInfo.InvariantCulture) ?? "-"}");
            }

            previous = sample;
        }

        return text.ToString();
    }
}
