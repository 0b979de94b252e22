using static Billing.Bench.LoadGenerator.Report.Table;

namespace Billing.Bench.LoadGenerator.Report;

/// <summary>The history reads: how the history was made, page and as_of reads against the p99 target, the checks.</summary>
internal static class HistoryTables
{
    private const int CallWidth = 24;

    public static void Print(BenchReport report, TextWriter output)
    {
        if (report.History is not { } h)
        {
            return;
        }

        var s = report.Settings;
        output.WriteLine();
        output.WriteLine($"History reads: {h.CustomerId}, {h.EventsSent:N0} events sent through the webhook endpoint ({h.SeedConnections} " +
                         $"connections, {h.SeedSeconds:N1} s), {h.Acknowledged:N0} acknowledged;\n" +
                         $"  its history: {h.Entries:N0} entries in {h.Pages:N0} pages, {h.MissingEvents} acknowledged events missing, " +
                         $"{h.RepeatedEvents} repeated. {s.HistoryCallers} callers, {Seconds(s.ReadWarmup)} s warm-up, then " +
                         $"{Seconds(s.HistoryDuration)} s measured each:\n" +
                         "  random pages of 100 (page tokens from the walk), then as_of at random instants of the history");
        if (h.Error is not null)
        {
            output.WriteLine($"  stopped: {h.Error}");
        }

        Row(output, CallWidth, "call", "calls", "calls/s", "p50 ms", "p99 ms", "errors", $"p99≤{h.TargetP99Milliseconds:0}ms");
        foreach (var r in h.Reads)
        {
            Row(output, CallWidth, r.Call, N(r.Calls), N(r.CallsPerSecond), N(r.Latency.P50, 2), N(r.Latency.P99, 2), Codes(r.Errors),
                r.MeetsTarget ? "met" : "MISSED");
        }

        if (h.AsOfChecked > 0)
        {
            output.WriteLine($"  as_of answers checked against the walked history (access, features, version): {h.AsOfChecked:N0}, " +
                             $"{h.AsOfMismatches:N0} differ");
            foreach (var sample in h.AsOfMismatchSamples)
            {
                output.WriteLine($"    {sample}");
            }
        }

        if (h.Reads.Count > 0)
        {
            output.WriteLine();
            output.WriteLine("Processes during the measured history reads");
            UsageTable.Print(output, h.Reads.Select(r => (r.Call, r.Processes)));
        }
    }
}
