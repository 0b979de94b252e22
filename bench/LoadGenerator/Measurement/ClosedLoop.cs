using System.Collections.Concurrent;
using System.Diagnostics;
using Grpc.Core;

namespace Billing.Bench.LoadGenerator.Measurement;

/// <summary>
/// Closed-loop gRPC callers: each calls again as soon as its previous answer arrived. A warm-up first (not measured),
/// then the measured phase: calls that start after the warm-up and end before the deadline. Failed calls are
/// counted by status code.
/// </summary>
internal static class ClosedLoop
{
    /// <summary>Runs <paramref name="callers"/> callers of <paramref name="call"/> (each with its own seeded random).</summary>
    public static async Task<ClosedLoopResult> RunAsync(int callers, TimeSpan warmup, TimeSpan duration, int seed, UsageMeter meter,
        Func<Random, CancellationToken, Task> call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(meter);
        var errors = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        var start = Stopwatch.GetTimestamp();
        var warmupEnd = start + (long)(warmup.TotalSeconds * Stopwatch.Frequency);
        var end = warmupEnd + (long)(duration.TotalSeconds * Stopwatch.Frequency);

        var workers = Task.WhenAll(Enumerable.Range(0, callers).Select(caller => Task.Run(() =>
            CallUntilAsync(call, new Random(seed + caller), warmupEnd, end, errors, cancellationToken), cancellationToken)));
        await Task.WhenAny(workers, Task.Delay(warmup, cancellationToken));
        var measuredFrom = Stopwatch.GetTimestamp();
        meter.Start();
        var remaining = Stopwatch.GetElapsedTime(measuredFrom, end);
        await Task.WhenAny(workers, Task.Delay(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero, cancellationToken));
        var measured = Stopwatch.GetElapsedTime(measuredFrom);
        var usage = meter.Stop(measured);
        var latency = LatencySummary.FromTicks(await workers);
        return new ClosedLoopResult(measured, latency, errors.ToDictionary(), usage);
    }

    private static async Task<List<long>> CallUntilAsync(Func<Random, CancellationToken, Task> call, Random random, long warmupEnd, long end,
        ConcurrentDictionary<string, long> errors, CancellationToken cancellationToken)
    {
        var latencies = new List<long>(65536);
        while (!cancellationToken.IsCancellationRequested)
        {
            var started = Stopwatch.GetTimestamp();
            if (started >= end)
            {
                break;
            }

            try
            {
                await call(random, cancellationToken);
                var finished = Stopwatch.GetTimestamp();
                if (started >= warmupEnd && finished <= end)
                {
                    latencies.Add(finished - started);
                }
            }
            catch (RpcException exception) when (!cancellationToken.IsCancellationRequested)
            {
                errors.AddOrUpdate(exception.StatusCode.ToString(), 1, static (_, n) => n + 1);
            }
        }

        return latencies;
    }
}
