using Billing.Bench.LoadGenerator.Consistency;
using Billing.Bench.LoadGenerator.HistoryReads;
using Billing.Bench.LoadGenerator.Reads;
using Billing.Bench.LoadGenerator.Webhooks;

namespace Billing.Bench.LoadGenerator.Report;

/// <summary>Everything one run measured; written as JSON to bench/results/ and printed as tables.</summary>
/// <param name="Webhooks">Each webhook target at the main level.</param>
/// <param name="WebhookLevels">Each webhook target at the other connection levels.</param>
/// <param name="History">The history reads, when the product was driven.</param>
/// <param name="CacheUpkeep">What the near-cache costs with many idle customers cached, when measured.</param>
internal sealed record BenchReport(
    string Label,
    DateTimeOffset StartedAt,
    double ElapsedSeconds,
    MachineFacts Machine,
    BenchOptions Settings,
    IReadOnlyList<WebhookResult> Webhooks,
    IReadOnlyList<WebhookResult> WebhookLevels,
    IReadOnlyList<ConsistencyResult> Consistency,
    IReadOnlyList<ReadResult> Reads,
    HistoryResult? History,
    IReadOnlyList<string> Failures,
    CacheUpkeepResult? CacheUpkeep = null)
{
    /// <summary>
    /// Whether the run shows a problem: a failed consistency check, a target that answered nothing, a history that
    /// lost or repeated events or answered as_of wrongly. Slow is never a failure here, only reported.
    /// </summary>
    public static List<string> FindFailures(IEnumerable<WebhookResult> webhooks, IEnumerable<ConsistencyResult> consistency,
        IEnumerable<ReadResult> reads, HistoryResult? history)
    {
        var failures = new List<string>();
        failures.AddRange(webhooks.Where(w => w.Statuses.Values.Sum() == 0)
            .Select(w => $"{w.Target}: every webhook request failed ({w.Connections} connections)"));
        failures.AddRange(consistency.Where(c => !c.Passed)
            .Select(c => $"{c.Target}: consistency check failed ({c.Scope}: {c.Mismatches.Count} mismatches of {c.Checked})"));
        failures.AddRange(reads.Where(r => r.Calls == 0).Select(r => $"{r.Target}: every entitlement read failed ({r.Callers} callers)"));
        failures.AddRange(history?.Failures() ?? []);
        return failures;
    }
}
