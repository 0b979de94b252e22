using System.Diagnostics;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Billing.Bench.LoadGenerator.Consistency;
using Billing.Bench.LoadGenerator.Measurement;
using Billing.Bench.LoadGenerator.Reads;
using Billing.Bench.LoadGenerator.Report;
using Billing.Bench.LoadGenerator.Webhooks;

namespace Billing.Bench.LoadGenerator;

/// <summary>
/// The <c>run</c> command: webhook load on the product (then its consistency check), the same stream on the
/// baseline (then its row count), entitlement reads on the product and the bare server at each concurrency; then
/// the tables, the JSON, and an exit code that is not 0 when a check failed or a target answered nothing.
/// </summary>
internal static class BenchRunner
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        // Readable text in the file (≈, apostrophes); nothing here is embedded in HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter() },
    };

    public static async Task<int> RunAsync(string[] args)
    {
        BenchOptions options;
        try
        {
            options = BenchOptions.Parse(args);
        }
        catch (ArgumentException exception)
        {
            return BenchOptions.Usage(exception.Message);
        }

        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };

        var startedAt = DateTimeOffset.UtcNow;
        var machine = MachineFacts.Collect();
        var elapsed = Stopwatch.StartNew();
        var probes = Probes(options);
        var webhooks = new List<WebhookResult>();
        var consistency = new List<ConsistencyResult>();
        var reads = new List<ReadResult>();

        if (options.ProductUrl is { } productUrl)
        {
            var run = await WebhookLoad.RunAsync("product", productUrl, options, Pick(probes, "gateway", "silo", "postgres", "loadgen"), stop.Token);
            webhooks.Add(run.Result);
            if (options.ProductGrpcUrl is { } grpcUrl)
            {
                consistency.Add(await ProductConsistencyCheck.RunAsync(grpcUrl, run.Ledger, options, stop.Token));
            }
        }

        if (options.BaselineUrl is { } baselineUrl)
        {
            var run = await WebhookLoad.RunAsync("baseline", baselineUrl, options, Pick(probes, "baseline", "postgres", "loadgen"), stop.Token);
            webhooks.Add(run.Result);
            consistency.Add(await BaselineConsistencyCheck.RunAsync(baselineUrl, run.Ledger, stop.Token));
        }

        // Product and bare server alternate at each concurrency, so both see the same machine state.
        foreach (var callers in options.ReadCallers)
        {
            if (options.ProductGrpcUrl is { } grpcUrl)
            {
                reads.Add(await ReadLoad.RunAsync("product", grpcUrl, callers, options, Pick(probes, "gateway", "silo", "loadgen"), stop.Token));
            }

            if (options.BareGrpcUrl is { } bareUrl)
            {
                reads.Add(await ReadLoad.RunAsync("bare", bareUrl, callers, options, Pick(probes, "bare", "loadgen"), stop.Token));
            }
        }

        var report = new BenchReport(options.Label, startedAt, Math.Round(elapsed.Elapsed.TotalSeconds, 1), machine, options,
            webhooks, consistency, reads, BenchReport.FindFailures(webhooks, consistency, reads));
        ReportPrinter.Print(report, Console.Out);
        if (options.Output is { } output)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
            await File.WriteAllTextAsync(output, JsonSerializer.Serialize(report, Json), stop.Token);
            Console.WriteLine($"Results: {output}");
        }

        return report.Failures.Count == 0 ? 0 : 1;
    }

    private static Dictionary<string, ProcessProbe> Probes(BenchOptions options)
    {
        var probes = options.Pids.ToDictionary(kv => kv.Key,
            kv => new ProcessProbe(kv.Key, kv.Value, includeChildren: kv.Key == "postgres"), StringComparer.Ordinal);
        probes["loadgen"] = ProcessProbe.Self();
        return probes;
    }

    private static List<ProcessProbe> Pick(Dictionary<string, ProcessProbe> probes, params string[] roles) =>
        [.. roles.Where(probes.ContainsKey).Select(role => probes[role])];
}
