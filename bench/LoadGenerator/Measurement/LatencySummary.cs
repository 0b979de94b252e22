using System.Diagnostics;

namespace Billing.Bench.LoadGenerator.Measurement;

/// <summary>Percentiles of the measured calls, in milliseconds.</summary>
internal sealed record LatencySummary(long Count, double Mean, double P50, double P95, double P99, double Max)
{
    /// <summary>Summarizes <see cref="Stopwatch"/> tick durations (sorting them all: fine at this scale).</summary>
    public static LatencySummary FromTicks(IEnumerable<List<long>> perWorker)
    {
        var all = perWorker.SelectMany(ticks => ticks).ToArray();
        if (all.Length == 0)
        {
            return new LatencySummary(0, 0, 0, 0, 0, 0);
        }

        Array.Sort(all);
        return new LatencySummary(all.Length, Milliseconds((long)all.Average()), At(all, 0.50), At(all, 0.95), At(all, 0.99),
            Milliseconds(all[^1]));
    }

    // Nearest rank: the smallest value with at least p of the calls at or below it.
    private static double At(long[] sorted, double p) =>
        Milliseconds(sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)]);

    private static double Milliseconds(long ticks) => Math.Round(ticks * 1000.0 / Stopwatch.Frequency, 3);
}
