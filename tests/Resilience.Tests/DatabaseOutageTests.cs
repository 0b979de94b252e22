using Billing.Testing.Network;
using System.Diagnostics;
using Billing.Resilience.Tests.Infrastructure;
using Npgsql;

namespace Billing.Resilience.Tests;

/// <summary>
/// PostgreSQL unreachable under webhook load: the product processes reach it through a <see cref="TcpProxy"/> that is
/// cut (every connection reset, new ones refused) and restored; the test reads the database directly.
/// </summary>
public sealed class DatabaseOutageTests(ITestOutputHelper output) : ClusterTestBase(output)
{
    // A refused connection fails a webhook at once; a blackholed one only when the gateway's budget for the cluster
    // (8 s) runs out, so that outage must last longer for 503s to be due while it lasts.
    [Theory]
    [InlineData(Outage.Refuse, 6)]
    [InlineData(Outage.Blackhole, 12)]
    public async Task A_database_outage_under_load_answers_503_and_loses_no_event_and_no_delivery(Outage kind, int seconds)
    {
        var total = Stopwatch.StartNew();
        var direct = new NpgsqlConnectionStringBuilder(Database.ConnectionString);
        await using var proxy = await TcpProxy.StartAsync(direct.Host!, direct.Port);
        var viaProxy = new NpgsqlConnectionStringBuilder(Database.ConnectionString) { Host = "127.0.0.1", Port = proxy.Port };
        var cluster = await StartClusterAsync(silos: 3, viaProxy.ConnectionString);
        var silosBefore = cluster.Silos.ToArray();

        var outage = TimeSpan.FromSeconds(LongRun ? seconds * 2 : seconds);
        var (cutAt, restoredAt) = (TimeSpan.Zero, TimeSpan.Zero);
        var load = await RunUnderLoadAsync(async load =>
        {
            await Task.Delay(TimeSpan.FromSeconds(LongRun ? 10 : 4));
            cutAt = load.Now;
            var open = proxy.Cut(kind);
            Output.WriteLine($"database cut ({kind}) at {cutAt.TotalSeconds:F1} s, {open} connection(s) open");
            await Task.Delay(outage);
            restoredAt = load.Now;
            proxy.Restore();
            Output.WriteLine($"database restored at {restoredAt.TotalSeconds:F1} s ({proxy.Refused} connection attempt(s) refused)");

            // Load goes on while the processes reconnect and Stripe's retries of the 503s arrive.
            await Task.Delay(TimeSpan.FromSeconds(LongRun ? 20 : 8));
        });

        var attempts = load.Attempts.ToArray();
        var duringOutage = attempts.Where(a => a.EndedAt >= cutAt && a.EndedAt <= restoredAt).ToArray();
        var unavailable = duringOutage.Count(a => a.Status == 503);
        var okDuringOutage = duringOutage.Count(a => a.Succeeded);
        var failed = attempts.Where(a => !a.Succeeded).ToArray();
        var retried = failed.Select(a => a.EventId).ToHashSet();
        var firstOkAfterRestore = attempts.Where(a => a.Succeeded && a.EndedAt > restoredAt).Select(a => a.EndedAt - restoredAt)
            .DefaultIfEmpty(TimeSpan.MaxValue).Min();
        var afterRestore = load.WindowSince(restoredAt);
        Output.WriteLine($"outage {outage.TotalSeconds:F0} s: {duringOutage.Length} answer(s) during it, {unavailable} of them 503, " +
            $"{okDuringOutage} 2xx (calls that were stored before the cut); events retried {retried.Count}, all of them acknowledged later: " +
            $"{retried.IsSubsetOf(load.Acknowledged)}; first 200 {firstOkAfterRestore.TotalSeconds:F1} s after the restore; " +
            $"after the restore: {afterRestore}");

        var outcome = await VerifyAsync(load);
        var exited = silosBefore.Where(s => s.Process.HasExited).Select(s => $"silo-{s.Number}").ToArray();
        Output.WriteLine($"silos that exited: {(exited.Length == 0 ? "none" : string.Join(", ", exited))}; gateway " +
            $"{(cluster.Gateway!.HasExited ? "exited" : "running")}; test took {total.Elapsed.TotalSeconds:F0} s");
        Output.WriteLine($"sent {load.Customers.Sum(c => c.Events.Count)}, 2xx {attempts.Count(a => a.Succeeded)}, 503 during the outage {unavailable}, " +
            $"retried {retried.Count}, lost {outcome.Lost}, doubled {outcome.Doubled}");

        // While PostgreSQL is away the gateway says so with 503 (Stripe retries), never with another status or by
        // not answering; every event got its 2xx once the database was back (VerifyAsync: none lost or doubled).
        Assert.True(unavailable > 0, "no 503 while the database was cut");
        Assert.All(failed, a => Assert.True(a.Status == 503, $"{a.EventId} answered {a.Status} at {a.EndedAt.TotalSeconds:F1} s"));
        Assert.True(firstOkAfterRestore < TimeSpan.FromSeconds(20), $"first 200 {firstOkAfterRestore} after the restore");

        // A short outage must not cost the cluster its silos: membership lives in the same database.
        Assert.Empty(exited);
        Assert.False(cluster.Gateway.HasExited, "the gateway exited");
    }
}
