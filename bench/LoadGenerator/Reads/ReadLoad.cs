using Billing.Bench.LoadGenerator.Measurement;
using Billing.V1;
using Grpc.Net.Client;

namespace Billing.Bench.LoadGenerator.Reads;

/// <summary>
/// <c>CheckEntitlement</c> from a real gRPC client: one channel, N concurrent callers, each asking about a random
/// customer as soon as its previous answer arrived. A warm-up first (it also activates the customers).
/// </summary>
internal static class ReadLoad
{
    public static async Task<ReadResult> RunAsync(string target, Uri url, int callers, BenchOptions options,
        UsageMeter meter, CancellationToken cancellationToken)
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
        var run = await ClosedLoop.RunAsync(callers, options.ReadWarmup, options.ReadDuration, options.Seed, meter,
            async (random, token) => await client.CheckEntitlementAsync(new CheckEntitlementRequest
            {
                CustomerId = options.CustomerPrefix + random.Next(options.Customers),
                Feature = BenchCatalog.CheckedFeature,
            }, cancellationToken: token), cancellationToken);

        var result = new ReadResult(target, url.ToString(), callers, Math.Round(run.Measured.TotalSeconds, 2), run.CallsPerSecond,
            run.Latency, run.Latency.Count, run.Errors, run.Processes);
        Console.Error.WriteLine($"[{target} reads] {result.CallsPerSecond:N0} calls/s, p50 {run.Latency.P50} ms, p99 {run.Latency.P99} ms, " +
                                $"{run.Errors.Values.Sum()} errors");
        return result;
    }
}
