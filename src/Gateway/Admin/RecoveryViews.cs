using Billing.Grains.Recovery;

namespace Billing.Gateway.Admin;

/// <summary><c>GET /admin/stripe/jobs</c>: recovery jobs of the last 7 days, newest first.</summary>
public sealed record JobsView(IReadOnlyList<JobView> Jobs);

/// <summary>One recovery job.</summary>
public sealed record JobView(string Id, string Kind, string State, DateTime StartedAt, DateTime? FinishedAt, CountsView Counts,
    double? Progress, string? LastError)
{
    /// <summary>The view of <paramref name="job"/>.</summary>
    public static JobView From(SyncJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        var c = job.Counts;
        return new JobView(job.Id, job.Kind, job.State, job.StartedAt.UtcDateTime, job.FinishedAt?.UtcDateTime,
            new CountsView(c.Fetched, c.Applied, c.Duplicate, c.Ignored, c.Failed, c.Repaired), job.Progress, job.LastError);
    }
}

/// <summary>What a job did.</summary>
public sealed record CountsView(long Fetched, long Applied, long Duplicate, long Ignored, long Failed, long Repaired);

/// <summary><c>GET /admin/drift</c>: the latest reconciliation and the drifts of the last 7 days.</summary>
public sealed record DriftView(DateTime? CheckedAt, long CustomersChecked, IReadOnlyList<DriftEntryView> Drifts)
{
    /// <summary>The view of <paramref name="report"/>.</summary>
    public static DriftView From(DriftReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return new DriftView(report.CheckedAt?.UtcDateTime, report.CustomersChecked, [.. report.Drifts.Select(d =>
            new DriftEntryView(d.CustomerId, d.DetectedAt.UtcDateTime, DriftSideView.From(d.Billing), DriftSideView.From(d.Stripe), d.Repaired))]);
    }
}

/// <summary>One drifted customer.</summary>
public sealed record DriftEntryView(string CustomerId, DateTime DetectedAt, DriftSideView Billing, DriftSideView Stripe, bool Repaired);

/// <summary>One side of a drift: subscription statuses by id, access, and active entitlements where compared.</summary>
public sealed record DriftSideView(IReadOnlyDictionary<string, string> Subscriptions, string Access, IReadOnlyList<string>? Entitlements)
{
    /// <summary>The view of <paramref name="side"/>.</summary>
    public static DriftSideView From(DriftSide side)
    {
        ArgumentNullException.ThrowIfNull(side);
        return new DriftSideView(side.Subscriptions, side.Access, side.Entitlements is { } keys ? [.. keys] : null);
    }
}

/// <summary><c>POST /admin/stripe/backfill</c>'s body.</summary>
public sealed record BackfillRequest(DateTimeOffset? Since);

/// <summary><c>POST /admin/customers/{id}/events/{event_id}/replay</c>: the replayed event and the entitlements after it.</summary>
public sealed record EventReplayView(string EventId, string Status, EntitlementsAfterView EntitlementsAfter);
