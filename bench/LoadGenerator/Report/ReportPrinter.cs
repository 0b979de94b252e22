namespace Billing.Bench.LoadGenerator.Report;

/// <summary>The results as plain-text tables (what bench/run.sh prints at the end).</summary>
internal static class ReportPrinter
{
    public static void Print(BenchReport report, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(output);
        var m = report.Machine;
        output.WriteLine();
        output.WriteLine($"Billing benchmark ({report.Label}): {m.Processors} CPUs ({m.CpuModel}), {m.MemoryGigabytes} GiB, {m.Runtime} ({m.RuntimeSettings}); " +
                         $"load average before the run {m.LoadAverageAtStart}");
        output.WriteLine($"  {m.Caveat}");

        WebhookTables.Print(report, output);
        PrintConsistency(report, output);
        ReadTables.Print(report, output);
        HistoryTables.Print(report, output);
        PrintCacheUpkeep(report, output);

        output.WriteLine();
        output.WriteLine(report.Failures.Count == 0 ? "Result: OK" : $"Result: FAILED: {string.Join("; ", report.Failures)}");
    }

    private static void PrintCacheUpkeep(BenchReport report, TextWriter output)
    {
        if (report.CacheUpkeep is not { } c)
        {
            return;
        }

        output.WriteLine();
        output.WriteLine($"Near-cache upkeep: {c.Customers:N0} customers read once each (in {c.FillSeconds} s, {c.Errors} errors), then " +
                         $"{c.IdleSeconds} s with no traffic: gateway + silo {c.Cores:F3} cores = {c.Cores * 100:F1} % of a core; " +
                         $"the same quiet before the fill: {c.CoresBefore:F3} cores (difference {(c.Cores - c.CoresBefore) * 100:F1} % of a core)");
        UsageTable.Print(output, [("idle, before", c.ProcessesBefore), ("idle, cached", c.Processes)]);
    }

    private static void PrintConsistency(BenchReport report, TextWriter output)
    {
        if (report.Consistency.Count == 0)
        {
            return;
        }

        output.WriteLine();
        output.WriteLine("Consistency after the load");
        foreach (var c in report.Consistency)
        {
            output.WriteLine($"  {c.Target} ({c.Scope}): {(c.Passed ? "PASS" : "FAIL")}: {c.Method}: {c.Matched:N0} of {c.Checked:N0} match" +
                             (c.Excluded > 0 ? $", {c.Excluded} left out (events never acknowledged)" : ""));
            foreach (var mismatch in c.Mismatches.Take(20))
            {
                output.WriteLine($"    {mismatch.CustomerId} ({mismatch.AcknowledgedEvents} events): expected {mismatch.ExpectedAccess} " +
                                 $"[{string.Join(",", mismatch.ExpectedFeatures)}], got {mismatch.ActualAccess} [{string.Join(",", mismatch.ActualFeatures)}]" +
                                 (mismatch.Error is null ? "" : $" ({mismatch.Error})"));
            }
        }
    }
}
