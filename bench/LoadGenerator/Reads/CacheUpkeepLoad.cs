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
        meter.Start();
        var quiet = System.Diagnostics.Stopwatch.StartNew();
        await Task.Delay(options.IdleDuration, cancellationToken);
        var usage = meter.Stop(quiet.Elapsed);
        var cores = usage.Where(u => u.Role is "gateway" or "silo").Sum(u => u.Cores);
        var result = new CacheUpkeepResult(options.IdleCustomers, Math.Round(fill.Elapsed.TotalSeconds, 1), errors,
            Math.Round(quiet.Elapsed.TotalSeconds, 1), Math.Round(cores, 3), usage);
        Console.Error.WriteLine($"[cache upkeep] filled in {result.FillSeconds} s ({errors} errors); idle: gateway + silo {result.Cores:F3} cores " +
                                $"({result.Cores * 100:F1} % of a core)");
        return result;
    }
}

/// <summary>The near-cache's upkeep: customers cached, how long filling took, and gateway + silo CPU while idle.</summary>
internal sealed record CacheUpkeepResult(int Customers, double FillSeconds, int Errors, double IdleSeconds, double Cores,
    IReadOnlyList<ProcessUsage> Processes);
