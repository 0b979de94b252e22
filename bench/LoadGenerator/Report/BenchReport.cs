using Billing.Bench.LoadGenerator.Consistency;
using Billing.Bench.LoadGenerator.Reads;
using Billing.Bench.LoadGenerator.Webhooks;

namespace Billing.Bench.LoadGenerator.Report;

/// <summary>Everything one run measured; written as JSON to bench/results/ and printed as tables.</summary>
internal sealed record BenchReport(
    string Label,
    DateTimeOffset StartedAt,
    double ElapsedSeconds,
    MachineFacts Machine,
    BenchOptions Settings,
    IReadOnlyList<WebhookResult> Webhooks,
    IReadOnlyList<ConsistencyResult> Consistency,
    IReadOnlyList<ReadResult> Reads,
    IReadOnlyList<string> Failures)
{
    /// <summary>Whether the run shows a problem: a failed consistency check, or a target that answered nothing.</summary>
    public static List<string> FindFailures(IEnumerable<WebhookResult> webhooks, IEnumerable<ConsistencyResult> consistency,
        IEnumerable<ReadResult> reads)
    {
        var failures = new List<string>();
        failures.AddRange(webhooks.Where(w => w.Statuses.Values.Sum() == 0).Select(w => $"{w.Target}: every webhook request failed"));
        failures.AddRange(consistency.Where(c => !c.Passed)
            .Select(c => $"{c.Target}: consistency check failed ({c.Mismatches.Count} mismatches of {c.Checked})"));
        failures.AddRange(reads.Where(r => r.Calls == 0).Select(r => $"{r.Target}: every entitlement read failed ({r.Callers} callers)"));
        return failures;
    }
}
