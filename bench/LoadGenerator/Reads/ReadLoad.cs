using System.Collections.Concurrent;
using System.Diagnostics;
using Billing.Bench.LoadGenerator.Measurement;
using Billing.V1;
using Grpc.Core;
using Grpc.Net.Client;

namespace Billing.Bench.LoadGenerator.Reads;

/// <summary>
/// <c>CheckEntitlement</c> from a real gRPC client: one channel, N concurrent callers, each asking about a random
/// customer as soon as its previous answer arrived. A warm-up first (it also activates the customers).
/// </summary>
internal static class ReadLoad
{
    public static async Task<ReadResult> RunAsync(string target, Uri url, int callers, BenchOptions options,
        IReadOnlyList<ProcessProbe> probes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        Console.Error.WriteLine($"[{target} reads] {url}: {callers} callers, warm-up {options.ReadWarmup.TotalSeconds} s, " +
                                $"measured {options.ReadDuration.TotalSeconds} s");
        // More than 100 concurrent calls exceed one HTTP/2 connection's stream limit: let the handler open more.
        using var channel = GrpcChannel.ForAddress(url, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true },
        });
        var client = new Entitlements.EntitlementsClient(channel);
        var errors = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        var start = Stopwatch.GetTimestamp();
        var warmupEnd = start + (long)(options.ReadWarmup.TotalSeconds * Stopwatch.Frequency);
        var end = warmupEnd + (long)(options.ReadDuration.TotalSeconds * Stopwatch.Frequency);
        var meter = new UsageMeter(probes);

        var workers = Task.WhenAll(Enumerable.Range(0, callers).Select(caller => Task.Run(() =>
            CallUntilAsync(client, new Random(options.Seed + caller), options, warmupEnd, end, errors, cancellationToken), cancellationToken)));
        await Task.WhenAny(workers, Task.Delay(options.ReadWarmup, cancellationToken));
        var measuredFrom = Stopwatch.GetTimestamp();
        meter.Start();
        await Task.WhenAny(workers, Task.Delay(Stopwatch.GetElapsedTime(measuredFrom, end), cancellationToken));
        var measured = Stopwatch.GetElapsedTime(measuredFrom);
        var usage = meter.Stop(measured);
        var latency = LatencySummary.FromTicks(await workers);

        var result = new ReadResult(target, url.ToString(), callers, Math.Round(measured.TotalSeconds, 2),
            Math.Round(latency.Count / measured.TotalSeconds, 1), latency, latency.Count, errors.ToDictionary(), usage);
        Console.Error.WriteLine($"[{target} reads] {result.CallsPerSecond:N0} calls/s, p50 {latency.P50} ms, p99 {latency.P99} ms, " +
                                $"{errors.Values.Sum()} errors");
        return result;
    }

    private static async Task<List<long>> CallUntilAsync(Entitlements.EntitlementsClient client, Random random, BenchOptions options,
        long warmupEnd, long end, ConcurrentDictionary<string, long> errors, CancellationToken cancellationToken)
    {
        var latencies = new List<long>(65536);
        while (!cancellationToken.IsCancellationRequested)
        {
            var started = Stopwatch.GetTimestamp();
            if (started >= end)
            {
                break;
            }

            var request = new CheckEntitlementRequest
            {
                CustomerId = options.CustomerPrefix + random.Next(options.Customers),
                Feature = BenchCatalog.CheckedFeature,
            };
            try
            {
                await client.CheckEntitlementAsync(request, cancellationToken: cancellationToken);
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
