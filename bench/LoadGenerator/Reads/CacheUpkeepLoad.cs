using Billing.Bench.LoadGenerator.Measurement;
using Billing.V1;
using Grpc.Net.Client;

namespace Billing.Bench.LoadGenerator.Reads;

/// <summary>
/// What the near-cache costs when nothing happens: N distinct customers are read once each (so the gateway caches
/// them), then nothing at all for a while, and the CPU of gateway and silo in that quiet is the cache's upkeep
/// (plus whatever an idle cluster spends anyway: membership, timers, heartbeats of the feeds).
/// </summary>
internal static class CacheUpkeepLoad
{
    private const int Callers = 64;

    public static async Task<CacheUpkeepResult> RunAsync(Uri url, BenchOptions options, UsageMeter meter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(meter);
        Console.Error.WriteLine($"[cache upkeep] {url}: reading {options.IdleCustomers:N0} customers once each, then {options.IdleDuration.TotalSeconds} s idle");
        using var channel = GrpcChannel.ForAddress(url, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true },
        });
        var client = new Entitlements.EntitlementsClient(channel);

        // The same quiet before the fill: what gateway and silo spend idle anyway (membership, timers, feed heartbeats).
        var before = await QuietAsync(meter, options.IdleDuration, cancellationToken);
        var fill = System.Diagnostics.Stopwatch.StartNew();
        var next = -1;
        var errors = 0;
        await Task.WhenAll(Enumerable.Range(0, Callers).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < options.IdleCustomers)
            {
                try
                {
                    await client.GetEntitlementsAsync(new GetEntitlementsRequest { CustomerId = $"cus_idle_{options.RunTag}_{i}" },
                        cancellationToken: cancellationToken);
                }
                catch (Grpc.Core.RpcException)
                {
                    Interlocked.Increment(ref errors);
                }
            }
        }));
        fill.Stop();

        // Let the fill's own work (activations, their collection timers) settle a moment before the quiet is measured.
        await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
        var after = await QuietAsync(meter, options.IdleDuration, cancellationToken);
        var result = new CacheUpkeepResult(options.IdleCustomers, Math.Round(fill.Elapsed.TotalSeconds, 1), errors,
            Math.Round(options.IdleDuration.TotalSeconds, 1), Cores(after), after, Cores(before), before);
        Console.Error.WriteLine($"[cache upkeep] filled in {result.FillSeconds} s ({errors} errors); idle: gateway + silo {result.Cores:F3} cores " +
                                $"with them cached, {result.CoresBefore:F3} before");
        return result;
    }

    private static async Task<List<ProcessUsage>> QuietAsync(UsageMeter meter, TimeSpan duration, CancellationToken cancellationToken)
    {
        meter.Start();
        var quiet = System.Diagnostics.Stopwatch.StartNew();
        await Task.Delay(duration, cancellationToken);
        return meter.Stop(quiet.Elapsed);
    }

    private static double Cores(IEnumerable<ProcessUsage> usage) =>
        Math.Round(usage.Where(u => u.Role is "gateway" or "silo").Sum(u => u.Cores), 3);
}

/// <summary>
/// The near-cache's upkeep: customers cached, how long filling took, and gateway + silo CPU while idle with them cached
/// (and, for comparison, in the same quiet before the fill).
/// </summary>
internal sealed record CacheUpkeepResult(int Customers, double FillSeconds, int Errors, double IdleSeconds, double Cores,
    IReadOnlyList<ProcessUsage> Processes, double CoresBefore, IReadOnlyList<ProcessUsage> ProcessesBefore);
