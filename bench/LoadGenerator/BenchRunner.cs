using System.Diagnostics;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Billing.Bench.LoadGenerator.Consistency;
using Billing.Bench.LoadGenerator.Database;
using Billing.Bench.LoadGenerator.HistoryReads;
using Billing.Bench.LoadGenerator.Measurement;
using Billing.Bench.LoadGenerator.Reads;
using Billing.Bench.LoadGenerator.Report;
using Billing.Bench.LoadGenerator.Webhooks;

namespace Billing.Bench.LoadGenerator;

/// <summary>
/// The <c>run</c> command: webhook load on the product, the product with an in-memory journal and the baseline in
/// turn, each at every connection level (main level first) and then checked; entitlement reads on the product and
/// the bare server at each concurrency; the history reads on the product; then the tables, the JSON, and an exit
/// code that is not 0 when a check failed or a target answered nothing.
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
        var probes = ProbeSet.From(options);
        var webhooks = new List<WebhookResult>();
        var webhookLevels = new List<WebhookResult>();
        var consistency = new List<ConsistencyResult>();
        var reads = new List<ReadResult>();
        HistoryResult? history = null;

        // One target under load at a time; the others wait, idle (their CPU is shown apart).
        foreach (var target in WebhookTarget.From(options))
        {
            await using var database = PgStatProbe.Create(target.Database);
            var runs = new List<WebhookRun>();
            foreach (var level in WebhookLevel.All(options))
            {
                var run = await WebhookLoad.RunAsync(target, level, options, probes.Meter(target.Roles), database, stop.Token);
                (level.Main ? webhooks : webhookLevels).Add(run.Result);
                runs.Add(run);
            }

            consistency.AddRange(await CheckAsync(target, runs, options, stop.Token));
        }

        // Product and bare server alternate at each concurrency, so both see the same machine state.
        foreach (var callers in options.ReadCallers)
        {
            if (options.ProductGrpcUrl is { } grpcUrl)
            {
                reads.Add(await ReadLoad.RunAsync("product", grpcUrl, callers, options, probes.Meter(["gateway", "silo"]), stop.Token));
            }

            if (options.BareGrpcUrl is { } bareUrl)
            {
                reads.Add(await ReadLoad.RunAsync("bare", bareUrl, callers, options, probes.Meter(["bare"]), stop.Token));
            }
        }

        if (options is { ProductUrl: { } webhookUrl, ProductGrpcUrl: { } historyGrpcUrl, HistoryEvents: > 0 })
        {
            history = await HistoryLoad.RunAsync(webhookUrl, historyGrpcUrl, options, probes, stop.Token);
        }

        CacheUpkeepResult? cacheUpkeep = null;
        if (options is { ProductGrpcUrl: { } cacheGrpcUrl, IdleCustomers: > 0 })
        {
            cacheUpkeep = await CacheUpkeepLoad.RunAsync(cacheGrpcUrl, options, probes.Meter(["gateway", "silo"]), stop.Token);
        }

        var report = new BenchReport(options.Label, startedAt, Math.Round(elapsed.Elapsed.TotalSeconds, 1), machine, options,
            webhooks, webhookLevels, consistency, reads, history,
            BenchReport.FindFailures(webhooks.Concat(webhookLevels), consistency, reads, history), cacheUpkeep);
        ReportPrinter.Print(report, Console.Out);
        if (options.Output is { } output)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
            await File.WriteAllTextAsync(output, JsonSerializer.Serialize(report, Json), stop.Token);
            Console.WriteLine($"Results: {output}");
        }

        return report.Failures.Count == 0 ? 0 : 1;
    }

    // A product: each level's customers sampled against their acknowledged events (when its gRPC endpoint is
    // known). The baseline: its rows against the events acknowledged at every level together.
    private static async Task<List<ConsistencyResult>> CheckAsync(WebhookTarget target, List<WebhookRun> runs, BenchOptions options,
        CancellationToken cancellationToken)
    {
        var results = new List<ConsistencyResult>();
        if (target.Kind == WebhookTargetKind.Baseline)
        {
            results.Add(await BaselineConsistencyCheck.RunAsync(target.Url, [.. runs.Select(run => run.Ledger)], cancellationToken));
        }
        else if (target.GrpcUrl is { } grpcUrl)
        {
            foreach (var run in runs)
            {
                results.Add(await ProductConsistencyCheck.RunAsync(target.Name, grpcUrl, run, options, cancellationToken));
            }
        }

        return results;
    }
}
