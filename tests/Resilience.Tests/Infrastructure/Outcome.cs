using System.Diagnostics;
using Billing.Testing.Outbound;
using Billing.V1;
using Grpc.Net.Client;
using Npgsql;

namespace Billing.Resilience.Tests.Infrastructure;

/// <summary>
/// What the cluster ended with, compared with what the customers' scripts say it must be: entitlements over gRPC,
/// the event ids in each customer's journal, and the fulfillment deliveries the receiver saw.
/// </summary>
internal sealed record Outcome(
    int Customers,
    int WrongState,
    int AcknowledgedNotStored,
    int MissingDeliveries,
    int UnexpectedDeliveries,
    int JournaledTwice,
    int Deliveries,
    int DistinctDeliveries,
    IReadOnlyList<string> Problems)
{
    public const string FulfillmentPath = "fulfillment";

    /// <summary>Events or deliveries whose effect is missing.</summary>
    public int Lost => WrongState + AcknowledgedNotStored + MissingDeliveries;

    /// <summary>Effects beyond what was sent (a version too high, a delivery of a version that should not exist).</summary>
    public int Doubled => UnexpectedDeliveries + JournaledTwice;

    public static async Task<Outcome> CollectAsync(BillingCluster cluster, WebhookLoad load, RecordingReceiver receiver,
        NpgsqlDataSource database, ITestOutputHelper output)
    {
        var scripts = load.Customers.ToArray();
        var expectedIds = scripts.SelectMany(s => Enumerable.Range(1, (int)s.Version).Select(v => $"{s.CustomerId}:{v}")).ToHashSet();

        // Fan-out is at least once and asynchronous: wait (bounded) for the consumers to deliver everything.
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.Elapsed < TimeSpan.FromSeconds(60) && !expectedIds.IsSubsetOf(DeliveredIds(receiver)))
        {
            await Task.Delay(500);
        }

        output.WriteLine($"fan-out settled after {stopwatch.Elapsed.TotalSeconds:F1} s");
        var problems = new List<string>();

        // 1. Entitlements, as internal services see them.
        using var channel = GrpcChannel.ForAddress(cluster.GrpcBase);
        var client = new Entitlements.EntitlementsClient(channel);
        var wrong = 0;
        await Parallel.ForEachAsync(scripts, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (script, token) =>
        {
            var actual = await client.GetEntitlementsAsync(new GetEntitlementsRequest { CustomerId = script.CustomerId }, cancellationToken: token);
            if (actual.Access != script.Access || !actual.Features.SequenceEqual(script.Features) || actual.Version != script.Version)
            {
                Interlocked.Increment(ref wrong);
                lock (problems)
                {
                    problems.Add($"{script.CustomerId}: {actual.Access} [{string.Join(",", actual.Features)}] v{actual.Version}, " +
                        $"expected {script.Access} [{string.Join(",", script.Features)}] v{script.Version}");
                }
            }
        });

        // 2. Every event answered 2xx is in its customer's journal (no 200 for an unstored event), and no event is in it twice
        //    (the unique index makes that impossible; counted anyway, so that the check cannot silently rest on it).
        var stored = new HashSet<string>(StringComparer.Ordinal);
        var journaledTwice = 0;
        await using (var command = database.CreateCommand("SELECT event_id, count(*) FROM billing_journal GROUP BY customer_id, event_id"))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                stored.Add(reader.GetString(0));
                journaledTwice += reader.GetInt64(1) > 1 ? 1 : 0;
            }
        }

        problems.AddRange(journaledTwice > 0 ? [$"{journaledTwice} event ids are journaled twice"] : []);

        await using (var activity = database.CreateCommand(
            "SELECT state, count(*), coalesce(max(now() - xact_start), interval '0')::text, coalesce(max(left(query, 120)), '') FROM pg_stat_activity " +
            "WHERE datname = current_database() AND pid <> pg_backend_pid() GROUP BY state"))
        await using (var reader = await activity.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                output.WriteLine($"database sessions: {reader[0]} × {reader[1]}, oldest transaction {reader[2]}, e.g. {reader[3]}");
            }
        }

        var notStored = load.Acknowledged.Where(id => !stored.Contains(id)).ToArray();
        problems.AddRange(notStored.Take(10).Select(id => $"{id} was answered 2xx but is not stored"));

        // 3. Fulfillment: every version delivered (at least once), none beyond.
        var delivered = receiver.RequestsTo(FulfillmentPath).Select(r => r.MessageId ?? "").ToArray();
        var distinct = delivered.ToHashSet(StringComparer.Ordinal);
        var missing = expectedIds.Where(id => !distinct.Contains(id)).ToArray();
        var unexpected = distinct.Where(id => !expectedIds.Contains(id)).ToArray();
        problems.AddRange(missing.Take(10).Select(id => $"fulfillment {id} never delivered"));
        problems.AddRange(unexpected.Take(10).Select(id => $"fulfillment {id} delivered but not expected"));

        return new Outcome(scripts.Length, wrong, notStored.Length, missing.Length, unexpected.Length, journaledTwice, delivered.Length, distinct.Count, problems);
    }

    public override string ToString() =>
        $"customers {Customers}: wrong entitlements {WrongState}, 2xx but not stored {AcknowledgedNotStored}; fulfillment deliveries {Deliveries} " +
        $"({DistinctDeliveries} distinct ids, {Deliveries - DistinctDeliveries} redelivered), missing {MissingDeliveries}, unexpected {UnexpectedDeliveries}; " +
        $"journaled twice {JournaledTwice}; lost {Lost}, doubled {Doubled}" + (Problems.Count == 0 ? "" : "\n  " + string.Join("\n  ", Problems.Take(20)));

    private static HashSet<string> DeliveredIds(RecordingReceiver receiver) =>
        receiver.RequestsTo(FulfillmentPath).Select(r => r.MessageId ?? "").ToHashSet(StringComparer.Ordinal);
}
