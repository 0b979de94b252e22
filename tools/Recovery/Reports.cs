namespace Billing.RecoveryTool;

/// <summary>The list commands' output: the jobs table and the drift report, as lines for stdout.</summary>
internal static class Reports
{
    private static readonly string[] JobHeaders =
        ["ID", "KIND", "STATE", "STARTED", "PROGRESS", "FETCHED", "APPLIED", "DUP", "IGNORED", "FAILED", "REPAIRED", "LAST ERROR"];

    // PROGRESS and the counts.
    private static readonly HashSet<int> NumberColumns = [4, 5, 6, 7, 8, 9, 10];

    /// <summary>One row per job, newest first as the gateway lists them.</summary>
    public static IReadOnlyList<string> Jobs(IReadOnlyList<JobInfo> jobs)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        if (jobs.Count == 0)
        {
            return ["no recovery jobs in the last 7 days"];
        }

        var rows = jobs.Select(job => (IReadOnlyList<string>)
        [
            Formatting.OneLine(job.Id), Formatting.OneLine(job.Kind), Formatting.OneLine(job.State), Formatting.Time(job.StartedAt),
            Formatting.Percent(job.Progress) is { } percent ? $"{percent}%" : "-",
            Formatting.Count(job.Counts.Fetched), Formatting.Count(job.Counts.Applied), Formatting.Count(job.Counts.Duplicate),
            Formatting.Count(job.Counts.Ignored), Formatting.Count(job.Counts.Failed), Formatting.Count(job.Counts.Repaired),
            Formatting.OneLine(job.LastError),
        ]).ToList();
        return Formatting.Table(JobHeaders, rows, NumberColumns);
    }

    /// <summary>
    /// The latest reconciliation, then a line per drift: customer, when it was seen (a customer can drift more than
    /// once in the 7 days listed), each subscription and the access as <c>billing → stripe</c>, entitlements when they
    /// differ, and whether it was repaired.
    /// </summary>
    public static IReadOnlyList<string> Drift(DriftReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        List<string> lines =
        [
            report.CheckedAt is { } checkedAt
                ? $"checked at {Formatting.Time(checkedAt)}: {Formatting.Count(report.CustomersChecked)} customers checked"
                : "no reconciliation has run yet",
            report.Drifts.Count == 0 ? "no drift found in the last 7 days" : $"{Formatting.Count(report.Drifts.Count)} drifts in the last 7 days:",
        ];
        lines.AddRange(report.Drifts.Select(DriftLine));
        return lines;
    }

    /// <summary>
    /// <c>cus_1  detected 2026-01-02 10:00:00Z  sub_1: active → canceled  access ACTIVE → NONE  repaired yes</c>; a
    /// subscription one side does not know shows as <c>(none)</c>.
    /// </summary>
    public static string DriftLine(DriftEntry drift)
    {
        ArgumentNullException.ThrowIfNull(drift);
        var subscriptions = drift.Billing.Subscriptions.Keys.Union(drift.Stripe.Subscriptions.Keys).Order(StringComparer.Ordinal)
            .Select(id => $"{Formatting.OneLine(id)}: {Status(drift.Billing, id)} → {Status(drift.Stripe, id)}");
        var parts = new List<string> { Formatting.OneLine(drift.CustomerId), $"detected {Formatting.Time(drift.DetectedAt)}" };
        parts.Add(string.Join(", ", subscriptions) is { Length: > 0 } listed ? listed : "no subscriptions");
        parts.Add($"access {Formatting.OneLine(drift.Billing.Access)} → {Formatting.OneLine(drift.Stripe.Access)}");
        if (drift.Billing.Entitlements is { } billing && drift.Stripe.Entitlements is { } stripe
            && !billing.Order(StringComparer.Ordinal).SequenceEqual(stripe.Order(StringComparer.Ordinal), StringComparer.Ordinal))
        {
            parts.Add($"entitlements {Keys(billing)} → {Keys(stripe)}");
        }
        parts.Add($"repaired {(drift.Repaired ? "yes" : "no")}");
        return string.Join("  ", parts);
    }

    private static string Status(DriftSide side, string id) =>
        side.Subscriptions.TryGetValue(id, out var status) ? Formatting.OneLine(status) : "(none)";

    private static string Keys(IReadOnlyList<string> keys) =>
        keys.Count == 0 ? "(none)" : string.Join(", ", keys.Order(StringComparer.Ordinal).Select(Formatting.OneLine));
}
