using Billing.Bench.LoadGenerator.Webhooks;
using static Billing.Bench.LoadGenerator.Report.Table;

namespace Billing.Bench.LoadGenerator.Report;

/// <summary>The webhook tables: the main level with its ratios, the processes and PostgreSQL work during it, and
/// every target at every connection level.</summary>
internal static class WebhookTables
{
    public static void Print(BenchReport report, TextWriter output)
    {
        var s = report.Settings;
        if (report.Webhooks.Count == 0)
        {
            return;
        }

        output.WriteLine();
        output.WriteLine($"Webhooks: {s.Customers:N0} customers (Zipf s={s.Zipf}), {s.Connections} connections, {Percent(s.Duplicates)} duplicates, " +
                         $"{Percent(s.OutOfOrder)} out of order; {Seconds(s.Warmup)} s warm-up, then {Seconds(s.Duration)} s measured" +
                         (s.MaxEvents > 0 ? $" or {s.MaxEvents:N0} events" : ""));
        if (report.Webhooks.Any(w => w.Target == WebhookTarget.ProductMemory))
        {
            output.WriteLine($"  {WebhookTarget.ProductMemory}: the same gateway and grains, the silo keeping the journal in memory " +
                             "(Billing__Journal__InMemory=true): the product if its journal were free");
        }

        Row(output, "target", "events/s", "p50 ms", "p95 ms", "p99 ms", "posts", "non-2xx", "errors");
        foreach (var w in report.Webhooks)
        {
            Row(output, w.Target, N(w.EventsPerSecond), N(w.Latency.P50, 2), N(w.Latency.P95, 2), N(w.Latency.P99, 2), N(w.Posts),
                Codes(w.NonSuccess), N(w.Errors.Values.Sum()));
        }

        RatioRow(output, report.Webhooks, "product/baseline", "baseline", withP95: true);
        RatioRow(output, report.Webhooks, "product/in-memory", WebhookTarget.ProductMemory, withP95: true);

        foreach (var w in report.Webhooks)
        {
            output.WriteLine($"  {w.Target}: 2xx answers {string.Join(", ", w.Statuses.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key} {kv.Value:N0}"))}; " +
                             $"{w.DistinctEvents:N0} distinct events, {w.DuplicateDeliveries:N0} duplicate and {w.OutOfOrderDeliveries:N0} out-of-order deliveries; " +
                             $"after the load {w.HeldBackSentAfterLoad} held-back sent, {w.Redelivered} redelivered, {w.Unacknowledged} never acknowledged");
            foreach (var (kind, samples) in w.FailureSamples)
            {
                output.WriteLine($"    {kind}: {string.Join(" | ", samples)}");
            }
        }

        output.WriteLine();
        output.WriteLine("Processes during the measured webhook phase (cores = CPU seconds per second; peak MiB = peak RSS, VmHWM;\n" +
                         "  idle = the benchmark's other processes, waiting their turn; others = the rest of the machine: when it is\n" +
                         "  not near 0, someone else shared the cores)");
        UsageTable.Print(output, report.Webhooks.Select(w => (w.Target, w.Processes)));
        PrintDatabase(report.Webhooks, output);
        PrintLevels(report, output);
    }

    // Beside the CPU table: what each event cost in PostgreSQL, from each target's own database.
    private static void PrintDatabase(IReadOnlyList<WebhookResult> webhooks, TextWriter output)
    {
        var measured = webhooks.Where(w => w.Database is not null).ToList();
        if (measured.Count == 0)
        {
            return;
        }

        output.WriteLine();
        output.WriteLine("PostgreSQL during the measured webhook phase, per event answered in it: pg_stat_database of each target's own\n" +
                         $"  database ({string.Join(", ", measured.Select(w => $"{w.Target}: {w.Database!.Database}"))}), read every\n" +
                         "  100 ms; the slope of a line through the readings times the phase's length (why: bench/README.md)");
        Row(output, "target", "events", "tx", "tx/event", "ins/event", "upd/event", "del/event");
        foreach (var w in measured)
        {
            var d = w.Database!;
            Row(output, w.Target, N(d.Events), N(d.Transactions), N(d.TransactionsPerEvent, 2), N(d.InsertedPerEvent, 2),
                N(d.UpdatedPerEvent, 2), N(d.DeletedPerEvent, 2));
        }
    }

    // Every target at every level, the main one included, ordered by target then connections.
    private static void PrintLevels(BenchReport report, TextWriter output)
    {
        if (report.WebhookLevels.Count == 0)
        {
            return;
        }

        var s = report.Settings;
        var targets = report.Webhooks.Select(w => w.Target).ToList();
        var all = report.Webhooks.Concat(report.WebhookLevels)
            .OrderBy(w => targets.IndexOf(w.Target)).ThenBy(w => w.Connections).ToList();
        output.WriteLine();
        output.WriteLine($"Webhooks by connections: each level on customers and event ids of its own; {s.Connections} (the main level) as " +
                         $"above, the others\n  {Seconds(s.LevelWarmup)} s warm-up, then {Seconds(s.LevelDuration)} s measured" +
                         (s.MaxEvents > 0 ? $" or {s.MaxEvents:N0} events" : ""));
        Row(output, "target", "conns", "events/s", "p50 ms", "p99 ms", "tx/event", "failed");
        foreach (var w in all)
        {
            Row(output, w.Target, N(w.Connections), N(w.EventsPerSecond), N(w.Latency.P50, 2), N(w.Latency.P99, 2),
                w.Database is { } d ? N(d.TransactionsPerEvent, 2) : "-", N(w.NonSuccess.Values.Sum() + w.Errors.Values.Sum()));
        }

        foreach (var connections in all.Select(w => w.Connections).Distinct().Order())
        {
            var level = all.Where(w => w.Connections == connections).ToList();
            RatioRow(output, level, "product/baseline", "baseline", withP95: false);
        }

        foreach (var connections in all.Select(w => w.Connections).Distinct().Order())
        {
            var level = all.Where(w => w.Connections == connections).ToList();
            RatioRow(output, level, "product/in-memory", WebhookTarget.ProductMemory, withP95: false);
        }
    }

    // events/s and latency ratios of the product to another target; the levels table adds the connections.
    private static void RatioRow(TextWriter output, IReadOnlyList<WebhookResult> results, string label, string other, bool withP95)
    {
        if (results.FirstOrDefault(w => w.Target == "product") is not { } product || results.FirstOrDefault(w => w.Target == other) is not { } that)
        {
            return;
        }

        if (withP95)
        {
            Row(output, label, Ratio(product.EventsPerSecond, that.EventsPerSecond), Ratio(product.Latency.P50, that.Latency.P50),
                Ratio(product.Latency.P95, that.Latency.P95), Ratio(product.Latency.P99, that.Latency.P99), "", "", "");
        }
        else
        {
            Row(output, label, N(product.Connections), Ratio(product.EventsPerSecond, that.EventsPerSecond), Ratio(product.Latency.P50, that.Latency.P50),
                Ratio(product.Latency.P99, that.Latency.P99), "", "");
        }
    }
}
