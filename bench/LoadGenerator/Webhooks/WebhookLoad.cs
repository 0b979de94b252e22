using System.Diagnostics;
using Billing.Bench.LoadGenerator.Database;
using Billing.Bench.LoadGenerator.Events;
using Billing.Bench.LoadGenerator.Measurement;

namespace Billing.Bench.LoadGenerator.Webhooks;

/// <summary>
/// Closed-loop webhook load: one sender per connection, each posting its next delivery as soon as the previous one
/// is answered. A warm-up first (not measured), then the measured phase; afterwards the held-back events are sent
/// and anything not acknowledged is redelivered (as Stripe would), outside the measurement.
/// </summary>
internal static class WebhookLoad
{
    private const int RedeliveryRounds = 3;

    /// <summary>Drives <paramref name="target"/> at <paramref name="level"/>; <paramref name="meter"/> measures the
    /// processes and <paramref name="database"/> (when given) the target's database during the measured phase.</summary>
    public static async Task<WebhookRun> RunAsync(WebhookTarget target, WebhookLevel level, BenchOptions options, UsageMeter meter,
        PgStatProbe? database, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(level);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(meter);
        var label = level.Label(target.Name);
        Log(label, $"{target.Url}: {level.Connections} connections, {options.Customers} customers, warm-up {level.Warmup.TotalSeconds} s, " +
                   $"measured {level.Duration.TotalSeconds} s{(options.MaxEvents > 0 ? $" or {options.MaxEvents} events" : "")}");
        var stream = new EventStream(options, level.RunTag);
        using var client = new WebhookClient(target.Url, options.Secret, level.Connections, level.CustomerPrefix);
        var counters = new LoadCounters();
        if (database is not null)
        {
            // Opens the probe's connection before the load, so that the readings below cost one round trip each.
            await database.ReadAsync(cancellationToken);
        }

        var phase = new LoadPhase(Stopwatch.GetTimestamp(), level);

        var workers = Task.WhenAll(Enumerable.Range(0, level.Connections)
            .Select(_ => Task.Run(() => SendUntilDoneAsync(stream, client, phase, counters, options.MaxEvents, cancellationToken), cancellationToken)));
        await WaitAsync(label, workers, phase.WarmupEnd, client, cancellationToken);
        var measuredFrom = Stopwatch.GetTimestamp();
        meter.Start();
        using var measuring = new CancellationTokenSource();
        var sampling = database?.SampleAsync(measuring.Token);
        await WaitAsync(label, workers, phase.End, client, cancellationToken);
        var measured = Stopwatch.GetElapsedTime(measuredFrom);
        var usage = meter.Stop(measured);
        await measuring.CancelAsync();
        var samples = sampling is null ? [] : await sampling;
        var latency = LatencySummary.FromTicks(await workers);

        // Outside the measurement: the customers' sent events become complete prefixes, and what failed is retried.
        var heldBack = stream.DrainHeldBack();
        await SendAllAsync(client, heldBack.Select(d => d.Event), level.Connections, cancellationToken);
        counters.OutOfOrder += heldBack.Count;
        var redelivered = await RedeliverAsync(label, client, level.Connections, cancellationToken);

        var tally = client.Tally;
        var result = new WebhookResult(
            target.Name,
            target.Url.ToString(),
            level.Connections,
            Math.Round(measured.TotalSeconds, 2),
            latency.Count,
            counters.MeasuredFailures,
            measured > TimeSpan.Zero ? Math.Round(latency.Count / measured.TotalSeconds, 1) : 0,
            latency,
            tally.SuccessCount + tally.FailureCount,
            counters.Duplicates,
            counters.OutOfOrder,
            client.Ledger.SentCount,
            tally.Statuses.ToDictionary(),
            tally.NonSuccess.ToDictionary(kv => kv.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), kv => kv.Value),
            tally.Errors.ToDictionary(),
            tally.Samples.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray()),
            heldBack.Count,
            redelivered,
            client.Ledger.Unacknowledged().Count,
            usage,
            database is null ? null : DatabaseActivity.From(database.Database, samples, measured, latency.Count + counters.MeasuredFailures));
        Log(label, $"{result.EventsPerSecond:N0} events/s (2xx), p50 {latency.P50} ms, p99 {latency.P99} ms, " +
                   $"{tally.FailureCount} non-2xx or errors of {result.Posts} posts" +
                   (result.Database is { } activity ? $", {activity.TransactionsPerEvent} PostgreSQL transactions per event" : ""));
        return new WebhookRun(result, level, client.Ledger);
    }

    private static async Task<List<long>> SendUntilDoneAsync(EventStream stream, WebhookClient client, LoadPhase phase,
        LoadCounters counters, long maxEvents, CancellationToken cancellationToken)
    {
        var latencies = new List<long>(8192);
        while (!cancellationToken.IsCancellationRequested)
        {
            var started = Stopwatch.GetTimestamp();
            if (started >= phase.End)
            {
                break;
            }

            var measured = started >= phase.WarmupEnd;
            if (measured && maxEvents > 0 && Interlocked.Increment(ref counters.MeasuredStarted) > maxEvents)
            {
                break;
            }

            var delivery = stream.Next();
            if (delivery.Duplicate)
            {
                Interlocked.Increment(ref counters.Duplicates);
            }
            else if (delivery.OutOfOrder)
            {
                Interlocked.Increment(ref counters.OutOfOrder);
            }

            var ok = await client.SendAsync(delivery.Event, cancellationToken);
            var finished = Stopwatch.GetTimestamp();
            if (!measured || finished > phase.End)
            {
                continue;
            }

            if (ok)
            {
                latencies.Add(finished - started);
            }
            else
            {
                Interlocked.Increment(ref counters.MeasuredFailures);
            }
        }

        return latencies;
    }

    // Waits until the deadline (or until every sender stopped early), saying how it goes every few seconds.
    private static async Task WaitAsync(string target, Task workers, long deadline, WebhookClient client, CancellationToken cancellationToken)
    {
        var progress = TimeSpan.FromSeconds(5);
        var lastPosts = client.Tally.SuccessCount + client.Tally.FailureCount;
        var lastAt = Stopwatch.GetTimestamp();
        while (!workers.IsCompleted)
        {
            var remaining = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), deadline);
            if (remaining <= TimeSpan.FromMilliseconds(1))
            {
                return;
            }

            await Task.WhenAny(workers, Task.Delay(remaining < progress ? remaining : progress, cancellationToken));
            var now = Stopwatch.GetTimestamp();
            var sinceLast = Stopwatch.GetElapsedTime(lastAt, now);
            if (sinceLast >= TimeSpan.FromSeconds(1))
            {
                var posts = client.Tally.SuccessCount + client.Tally.FailureCount;
                Log(target, $"{posts,9:N0} posts, {(posts - lastPosts) / sinceLast.TotalSeconds,8:N0}/s lately, " +
                            $"{client.Tally.FailureCount:N0} non-2xx or errors");
                (lastPosts, lastAt) = (posts, now);
            }
        }
    }

    private static async Task<int> RedeliverAsync(string target, WebhookClient client, int connections, CancellationToken cancellationToken)
    {
        var redelivered = 0;
        for (var round = 1; round <= RedeliveryRounds; round++)
        {
            var pending = client.Ledger.Unacknowledged();
            if (pending.Count == 0)
            {
                break;
            }

            Log(target, $"redelivering {pending.Count} unacknowledged events (round {round} of {RedeliveryRounds})");
            await Task.Delay(TimeSpan.FromSeconds(round), cancellationToken);
            await SendAllAsync(client, pending, connections, cancellationToken);
            redelivered += pending.Count;
        }

        return redelivered;
    }

    private static Task SendAllAsync(WebhookClient client, IEnumerable<PlannedEvent> events, int connections, CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(events, new ParallelOptions
        {
            MaxDegreeOfParallelism = Math.Min(connections, 16),
            CancellationToken = cancellationToken,
        }, async (plannedEvent, token) => await client.SendAsync(plannedEvent, token));

    private static void Log(string target, string message) => Console.Error.WriteLine($"[{target}] {message}");

    /// <summary>When the warm-up ends and the measured phase ends, in <see cref="Stopwatch"/> ticks.</summary>
    private sealed class LoadPhase(long start, WebhookLevel level)
    {
        public long WarmupEnd { get; } = start + Ticks(level.Warmup);

        public long End { get; } = start + Ticks(level.Warmup) + Ticks(level.Duration);

        private static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);
    }

    /// <summary>Counters the senders share (fields, for <see cref="Interlocked"/>).</summary>
    private sealed class LoadCounters
    {
        public long MeasuredStarted;
        public long MeasuredFailures;
        public long Duplicates;
        public long OutOfOrder;
    }
}
