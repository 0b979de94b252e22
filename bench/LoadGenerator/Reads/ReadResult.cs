using Billing.Bench.LoadGenerator.Measurement;

namespace Billing.Bench.LoadGenerator.Reads;

/// <summary>The entitlement-read load of one target at one concurrency.</summary>
internal sealed record ReadResult(
    string Target,
    string Url,
    int Callers,
    double MeasuredSeconds,
    double CallsPerSecond,
    LatencySummary Latency,
    long Calls,
    IReadOnlyDictionary<string, long> Errors,
    IReadOnlyList<ProcessUsage> Processes);
