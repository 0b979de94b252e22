using Billing.Bench.LoadGenerator.Events;
using Billing.Bench.LoadGenerator.Webhooks;
using Billing.V1;
using Grpc.Core;
using Grpc.Net.Client;

namespace Billing.Bench.LoadGenerator.Consistency;

/// <summary>
/// After the load: samples customers (the busiest first, they saw the most reordering and duplicates, then a
/// random spread) and compares <c>GetEntitlements</c> with what their acknowledged events imply.
/// </summary>
internal static class ProductConsistencyCheck
{
    /// <summary>Checks the customers of one level's load (<paramref name="run"/>) of <paramref name="target"/>.</summary>
    public static async Task<ConsistencyResult> RunAsync(string target, Uri grpcUrl, WebhookRun run, BenchOptions options,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(options);
        var ledger = run.Ledger;
        var scope = Connections(run.Level.Connections);

        // A customer with an event of unknown effect (never acknowledged) has no single expected state.
        var unknown = ledger.Unacknowledged().Select(e => e.Customer).ToHashSet();
        var byCustomer = ledger.AcknowledgedEvents.GroupBy(e => e.Customer)
            .Where(g => !unknown.Contains(g.Key))
            .ToDictionary(g => g.Key, g => g.ToList());
        var sample = Sample(byCustomer, options.Sample, new Random(options.Seed));

        using var channel = GrpcChannel.ForAddress(grpcUrl);
        var client = new Entitlements.EntitlementsClient(channel);
        var mismatches = new System.Collections.Concurrent.ConcurrentBag<Mismatch>();
        await Parallel.ForEachAsync(sample, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken },
            async (customer, token) =>
            {
                var events = byCustomer[customer];
                var customerId = run.Level.CustomerPrefix + customer;
                var expected = ExpectedEntitlements.From(events);
                try
                {
                    var actual = await client.GetEntitlementsAsync(new GetEntitlementsRequest { CustomerId = customerId }, cancellationToken: token);
                    if (actual.Access != expected.Access || !actual.Features.SequenceEqual(expected.Features, StringComparer.Ordinal))
                    {
                        mismatches.Add(new Mismatch(customerId, events.Count, expected.Access.ToString(), expected.Features,
                            actual.Access.ToString(), [.. actual.Features], null));
                    }
                }
                catch (RpcException exception)
                {
                    mismatches.Add(new Mismatch(customerId, events.Count, expected.Access.ToString(), expected.Features, "?", [],
                        $"{exception.StatusCode}: {exception.Status.Detail}"));
                }
            });

        return new ConsistencyResult(target, scope, $"gRPC GetEntitlements of {sample.Count} sampled customers vs their acknowledged events",
            sample.Count, sample.Count - mismatches.Count, unknown.Count, [.. mismatches.OrderBy(m => m.CustomerId, StringComparer.Ordinal)]);
    }

    private static string Connections(int connections) => connections == 1 ? "1 connection" : $"{connections} connections";

    // The busiest tenth of the sample, then customers picked at random from the rest.
    private static List<int> Sample(Dictionary<int, List<PlannedEvent>> byCustomer, int size, Random random)
    {
        var busiest = byCustomer.OrderByDescending(kv => kv.Value.Count).Take(Math.Max(1, size / 10)).Select(kv => kv.Key).ToList();
        var rest = byCustomer.Keys.Except(busiest).ToArray();
        random.Shuffle(rest);
        return [.. busiest.Concat(rest).Take(size)];
    }
}
