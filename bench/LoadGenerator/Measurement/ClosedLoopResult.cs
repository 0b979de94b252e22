namespace Billing.Bench.LoadGenerator.Measurement;

/// <summary>A finished closed-loop load: how long it was measured, the calls' latencies, failures, processes.</summary>
internal sealed record ClosedLoopResult(TimeSpan Measured, LatencySummary Latency, Dictionary<string, long> Errors, List<ProcessUsage> Processes)
{
    /// <summary>Measured calls per second.</summary>
    public double CallsPerSecond => Measured > TimeSpan.Zero ? Math.Round(Latency.Count / Measured.TotalSeconds, 1) : 0;
}
