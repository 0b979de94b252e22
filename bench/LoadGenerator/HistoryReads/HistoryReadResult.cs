using Billing.Bench.LoadGenerator.Measurement;

namespace Billing.Bench.LoadGenerator.HistoryReads;

/// <summary>One kind of history read under load: its calls, latencies, failures, and whether p99 met the target.</summary>
internal sealed record HistoryReadResult(
    string Call,
    int Callers,
    double MeasuredSeconds,
    long Calls,
    double CallsPerSecond,
    LatencySummary Latency,
    IReadOnlyDictionary<string, long> Errors,
    bool MeetsTarget,
    IReadOnlyList<ProcessUsage> Processes);
