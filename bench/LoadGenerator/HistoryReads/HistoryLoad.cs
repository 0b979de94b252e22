using System.Collections.Concurrent;
using System.Diagnostics;
using Billing.Bench.LoadGenerator.Events;
using Billing.Bench.LoadGenerator.Measurement;
using Billing.Bench.LoadGenerator.Webhooks;
using Billing.V1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Net.Client;

namespace Billing.Bench.LoadGenerator.HistoryReads;

/// <summary>
/// The history reads: one fresh customer gets <see cref="BenchOptions.HistoryEvents"/> events through the webhook
/// endpoint; its history is walked page by page; then, each for <see cref="BenchOptions.HistoryDuration"/> after
/// a warm-up, concurrent callers read random pages (<c>ListCustomerEvents</c>) and the entitlements as of random
/// instants of that history (<c>GetEntitlements</c> with <c>as_of</c>).
/// </summary>
internal static class HistoryLoad
{
    /// <summary>Entries per page, in the walk and in the page reads.</summary>
    public const int PageSize = 100;

    /// <summary>The p99 the issue asks of both reads.</summary>
    public const double TargetP99Milliseconds = 20;

    // One customer's events over a few connections: the gateway batches what arrives while the customer's grain is
    // busy, as it would for a busy real customer. Sending is not measured.
    private const int SeedConnections = 8;
    private const int RedeliveryRounds = 3;
    private const int MismatchSamples = 5;

    public static async Task<HistoryResult> RunAsync(Uri webhookUrl, Uri grpcUrl, BenchOptions options, ProbeSet probes,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(probes);
        var customerPrefix = options.CustomerPrefix + "h";
        var customerId = customerPrefix + "0";
        Log($"{customerId}: sending {options.HistoryEvents:N0} events over {SeedConnections} connections");
        var events = HistoryEvents.Plan(options.HistoryEvents, options.RunTag, DateTimeOffset.UtcNow.AddDays(-2).ToUnixTimeSeconds());
        using var webhooks = new WebhookClient(webhookUrl, options.Secret, SeedConnections, customerPrefix);
        var seeding = Stopwatch.StartNew();
        await SendInOrderAsync(webhooks, events, cancellationToken);
        for (var round = 1; round <= RedeliveryRounds; round++)
        {
            var pending = webhooks.Ledger.Unacknowledged();
            if (pending.Count == 0)
            {
                break;
            }

            Log($"redelivering {pending.Count} unacknowledged events (round {round} of {RedeliveryRounds})");
            await Task.Delay(TimeSpan.FromSeconds(round), cancellationToken);
            await SendInOrderAsync(webhooks, [.. pending.OrderBy(e => e.Created)], cancellationToken);
        }

        seeding.Stop();
        var acknowledged = webhooks.Ledger.AcknowledgedEvents.Count;
        Log($"{acknowledged:N0} of {events.Count:N0} acknowledged in {seeding.Elapsed.TotalSeconds:N1} s " +
            $"({webhooks.Tally.FailureCount} non-2xx or errors)");

        using var channel = GrpcChannel.ForAddress(grpcUrl);
        var history = new V1.History.HistoryClient(channel);
        var entitlements = new Entitlements.EntitlementsClient(channel);
        HistoryWalk walk;
        try
        {
            walk = await HistoryWalk.ReadAsync(history, customerId, PageSize, events.Count, cancellationToken);
        }
        catch (RpcException exception)
        {
            return Result(customerId, events.Count, acknowledged, seeding.Elapsed, null, 0, 0, [], new AsOfCheck(),
                $"ListCustomerEvents failed while walking the history: {exception.StatusCode}: {exception.Status.Detail}");
        }

        var walked = walk.Entries.GroupBy(e => e.EventId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var missing = webhooks.Ledger.AcknowledgedEvents.Count(e => !walked.ContainsKey(e.EventId));
        var repeated = walked.Values.Count(count => count > 1);
        Log($"history: {walk.Entries.Count:N0} entries in {walk.PageTokens.Count} pages; {missing} acknowledged events missing, {repeated} repeated");
        if (walk.Entries.Count == 0)
        {
            return Result(customerId, events.Count, acknowledged, seeding.Elapsed, walk, missing, repeated, [], new AsOfCheck(),
                "the history is empty");
        }

        var pages = await MeasureAsync("ListCustomerEvents", options, probes, async (random, token) =>
            await history.ListCustomerEventsAsync(new ListCustomerEventsRequest
            {
                CustomerId = customerId,
                PageSize = PageSize,
                PageToken = walk.PageTokens[random.Next(walk.PageTokens.Count)],
            }, cancellationToken: token), cancellationToken);

        var check = new AsOfCheck();
        var first = walk.Entries[0].RecordedAt;
        // Whole microseconds: the journal keeps recorded times to the microsecond, so an instant never falls between
        // two readings of the same entry's time.
        var spanMicroseconds = (walk.Entries[^1].RecordedAt - first).Ticks / 10;
        var asOf = await MeasureAsync("GetEntitlements as_of", options, probes, async (random, token) =>
        {
            var instant = first.AddTicks(random.NextInt64(spanMicroseconds + 1) * 10);
            var answer = await entitlements.GetEntitlementsAsync(new GetEntitlementsRequest
            {
                CustomerId = customerId,
                AsOf = Timestamp.FromDateTimeOffset(instant),
            }, cancellationToken: token);
            check.Compare(instant, walk.At(instant), answer);
        }, cancellationToken);

        return Result(customerId, events.Count, acknowledged, seeding.Elapsed, walk, missing, repeated, [pages, asOf], check, null);
    }

    private static async Task<HistoryReadResult> MeasureAsync(string call, BenchOptions options, ProbeSet probes,
        Func<Random, CancellationToken, Task> read, CancellationToken cancellationToken)
    {
        Log($"{call}: {options.HistoryCallers} callers, warm-up {options.ReadWarmup.TotalSeconds} s, measured {options.HistoryDuration.TotalSeconds} s");
        var run = await ClosedLoop.RunAsync(options.HistoryCallers, options.ReadWarmup, options.HistoryDuration, options.Seed,
            probes.Meter(["gateway", "silo", "postgres"]), read, cancellationToken);
        Log($"{call}: {run.CallsPerSecond:N0} calls/s, p50 {run.Latency.P50} ms, p99 {run.Latency.P99} ms, {run.Errors.Values.Sum()} errors");
        return new HistoryReadResult(call, options.HistoryCallers, Math.Round(run.Measured.TotalSeconds, 2), run.Latency.Count, run.CallsPerSecond,
            run.Latency, run.Errors, run.Latency.Count > 0 && run.Latency.P99 <= TargetP99Milliseconds, run.Processes);
    }

    // Sends the events in their order over the seeding connections: each connection takes the next unsent one.
    private static async Task SendInOrderAsync(WebhookClient client, List<PlannedEvent> events, CancellationToken cancellationToken)
    {
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, SeedConnections).Select(_ => Task.Run(async () =>
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < events.Count && !cancellationToken.IsCancellationRequested)
            {
                await client.SendAsync(events[index], cancellationToken);
            }
        }, cancellationToken)));
    }

    private static HistoryResult Result(string customerId, int sent, int acknowledged, TimeSpan seeding, HistoryWalk? walk, int missing,
        int repeated, IReadOnlyList<HistoryReadResult> reads, AsOfCheck check, string? error) =>
        new(customerId, sent, acknowledged, Math.Round(seeding.TotalSeconds, 1), SeedConnections, walk?.Entries.Count ?? 0,
            walk?.PageTokens.Count ?? 0, missing, repeated, reads, check.Checked, check.Mismatches, [.. check.Samples],
            TargetP99Milliseconds, error);

    private static void Log(string message) => Console.Error.WriteLine($"[history] {message}");

    /// <summary>as_of answers against the walked history: access, features and version of the entry in force.</summary>
    private sealed class AsOfCheck
    {
        private long _checked;
        private long _mismatches;

        public long Checked => Interlocked.Read(ref _checked);

        public long Mismatches => Interlocked.Read(ref _mismatches);

        public ConcurrentQueue<string> Samples { get; } = new();

        public void Compare(DateTimeOffset instant, WalkedEntry? expected, CustomerEntitlements answer)
        {
            Interlocked.Increment(ref _checked);
            var (access, features, version) = expected is null
                ? (AccessState.None, (IReadOnlyList<string>)[], 0L)
                : (expected.Access, expected.Features, expected.Version);
            if (answer.Access == access && answer.Version == version && answer.Features.SequenceEqual(features, StringComparer.Ordinal))
            {
                return;
            }

            Interlocked.Increment(ref _mismatches);
            if (Samples.Count < MismatchSamples)
            {
                Samples.Enqueue($"as_of {instant:O}: expected {access} [{string.Join(",", features)}] v{version}, " +
                                $"got {answer.Access} [{string.Join(",", answer.Features)}] v{answer.Version}");
            }
        }
    }
}
