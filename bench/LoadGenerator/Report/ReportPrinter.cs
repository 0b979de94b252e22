using System.Globalization;
using Billing.Bench.LoadGenerator.Measurement;

namespace Billing.Bench.LoadGenerator.Report;

/// <summary>The results as plain-text tables (what bench/run.sh prints at the end).</summary>
internal static class ReportPrinter
{
    public static void Print(BenchReport report, TextWriter output)
    {
        var s = report.Settings;
        var m = report.Machine;
        output.WriteLine();
        output.WriteLine($"Billing benchmark ({report.Label}): {m.Processors} CPUs ({m.CpuModel}), {m.MemoryGigabytes} GiB, {m.Runtime} ({m.RuntimeSettings}); " +
                         $"load average before the run {m.LoadAverageAtStart}");
        output.WriteLine($"  {m.Caveat}");

        if (report.Webhooks.Count > 0)
        {
            output.WriteLine();
            output.WriteLine($"Webhooks: {s.Customers:N0} customers (Zipf s={s.Zipf}), {s.Connections} connections, {Percent(s.Duplicates)} duplicates, " +
                             $"{Percent(s.OutOfOrder)} out of order; {s.Warmup.TotalSeconds:0.#} s warm-up, then {s.Duration.TotalSeconds:0.#} s measured" +
                             (s.MaxEvents > 0 ? $" or {s.MaxEvents:N0} events" : ""));
            Row(output, "target", "events/s", "p50 ms", "p95 ms", "p99 ms", "posts", "non-2xx", "errors");
            foreach (var w in report.Webhooks)
            {
                Row(output, w.Target, N(w.EventsPerSecond), N(w.Latency.P50, 2), N(w.Latency.P95, 2), N(w.Latency.P99, 2), N(w.Posts),
                    Codes(w.NonSuccess), N(w.Errors.Values.Sum()));
            }

            if (report.Webhooks.FirstOrDefault(w => w.Target == "product") is { } product &&
                report.Webhooks.FirstOrDefault(w => w.Target == "baseline") is { } baseline)
            {
                Row(output, "product/baseline", Ratio(product.EventsPerSecond, baseline.EventsPerSecond),
                    Ratio(product.Latency.P50, baseline.Latency.P50), Ratio(product.Latency.P95, baseline.Latency.P95),
                    Ratio(product.Latency.P99, baseline.Latency.P99), "", "", "");
            }

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
                             "  others = the rest of the machine: when it is not near 0, someone else shared the cores)");
            Usage(output, report.Webhooks.Select(w => (w.Target, w.Processes)));
        }

        if (report.Consistency.Count > 0)
        {
            output.WriteLine();
            output.WriteLine("Consistency after the load");
            foreach (var c in report.Consistency)
            {
                output.WriteLine($"  {c.Target}: {(c.Passed ? "PASS" : "FAIL")}: {c.Method}: {c.Matched:N0} of {c.Checked:N0} match" +
                                 (c.Excluded > 0 ? $", {c.Excluded} left out (events never acknowledged)" : ""));
                foreach (var mismatch in c.Mismatches.Take(20))
                {
                    output.WriteLine($"    {mismatch.CustomerId} ({mismatch.AcknowledgedEvents} events): expected {mismatch.ExpectedAccess} " +
                                     $"[{string.Join(",", mismatch.ExpectedFeatures)}], got {mismatch.ActualAccess} [{string.Join(",", mismatch.ActualFeatures)}]" +
                                     (mismatch.Error is null ? "" : $" ({mismatch.Error})"));
                }
            }
        }

        if (report.Reads.Count > 0)
        {
            output.WriteLine();
            output.WriteLine($"Entitlement reads: CheckEntitlement over one gRPC channel, {s.Customers:N0} customers picked uniformly; " +
                             $"{s.ReadWarmup.TotalSeconds:0.#} s warm-up, then {s.ReadDuration.TotalSeconds:0.#} s measured");
            Row(output, "target", "callers", "calls/s", "p50 ms", "p99 ms", "errors", "", "");
            foreach (var group in report.Reads.GroupBy(r => r.Callers))
            {
                foreach (var r in group)
                {
                    Row(output, r.Target, N(r.Callers), N(r.CallsPerSecond), N(r.Latency.P50, 2), N(r.Latency.P99, 2), N(r.Errors.Values.Sum()), "", "");
                }

                if (group.FirstOrDefault(r => r.Target == "product") is { } product && group.FirstOrDefault(r => r.Target == "bare") is { } bare)
                {
                    Row(output, "product/bare", "", Ratio(product.CallsPerSecond, bare.CallsPerSecond), Ratio(product.Latency.P50, bare.Latency.P50),
                        Ratio(product.Latency.P99, bare.Latency.P99), "", "", "");
                }
            }

            output.WriteLine();
            output.WriteLine("Processes during the measured read phases");
            Usage(output, report.Reads.Select(r => ($"{r.Target} x{r.Callers}", r.Processes)));
        }

        output.WriteLine();
        output.WriteLine(report.Failures.Count == 0 ? "Result: OK" : $"Result: FAILED: {string.Join("; ", report.Failures)}");
    }

    private static void Usage(TextWriter output, IEnumerable<(string Phase, IReadOnlyList<ProcessUsage> Processes)> phases)
    {
        Row(output, "phase", "process", "pid", "CPU s", "cores", "peak MiB", "", "");
        foreach (var (phase, processes) in phases)
        {
            foreach (var p in processes)
            {
                Row(output, phase, p.Role, p.Pid > 0 ? p.Pid.ToString(CultureInfo.InvariantCulture) : "", N(p.CpuSeconds, 1), N(p.Cores, 2),
                    p.PeakRssMegabytes is { } rss ? N(rss) : "-", "", "");
            }

            output.WriteLine($"  {"",-18}{"machine",10}{"",10}{N(processes.Sum(p => p.CpuSeconds), 1),10}{N(processes.Sum(p => p.Cores), 2),10}");
        }
    }

    private static void Row(TextWriter output, string first, params string[] rest) =>
        output.WriteLine($"  {first,-18}{string.Concat(rest.Select(cell => $"{cell,10}"))}".TrimEnd());

    private static string N(double value, int decimals = 0) => value.ToString(decimals == 0 ? "N0" : $"N{decimals}", CultureInfo.InvariantCulture);

    private static string Percent(double share) => (share * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%";

    private static string Ratio(double product, double other) =>
        other > 0 ? (product / other).ToString("0.00x", CultureInfo.InvariantCulture) : "-";

    private static string Codes(IReadOnlyDictionary<string, long> codes) =>
        codes.Count == 0 ? "0" : string.Join(" ", codes.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}:{kv.Value}"));
}
