using static Billing.Bench.LoadGenerator.Report.Table;

namespace Billing.Bench.LoadGenerator.Report;

/// <summary>The entitlement reads: each target at each concurrency, the product/bare ratios, the processes.</summary>
internal static class ReadTables
{
    public static void Print(BenchReport report, TextWriter output)
    {
        if (report.Reads.Count == 0)
        {
            return;
        }

        var s = report.Settings;
        output.WriteLine();
        output.WriteLine($"Entitlement reads: CheckEntitlement over one gRPC channel, {s.Customers:N0} customers picked uniformly; " +
                         $"{Seconds(s.ReadWarmup)} s warm-up, then {Seconds(s.ReadDuration)} s measured");
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
        UsageTable.Print(output, report.Reads.Select(r => ($"{r.Target} x{r.Callers}", r.Processes)));
    }
}
