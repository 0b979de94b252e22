namespace Billing.Grains.Recovery;

/// <summary>The kinds of recovery job (the admin API's <c>kind</c>); one of each runs at a time in the cluster.</summary>
public static class SyncKinds
{
    /// <summary>Every subscription and active entitlement of the account(s), applied as snapshots.</summary>
    public const string Import = "import";

    /// <summary>The Events API read from an operator's <c>since</c>.</summary>
    public const string Backfill = "backfill";

    /// <summary>The Events API read every <c>Stripe:Sync:PollInterval</c> from the last high-water mark.</summary>
    public const string Poll = "poll";

    /// <summary>Every customer compared with Stripe's objects, drifts repaired.</summary>
    public const string Reconcile = "reconcile";

    /// <summary>All kinds.</summary>
    public static readonly IReadOnlyList<string> All = [Import, Backfill, Poll, Reconcile];
}

/// <summary>The states of a recovery job (the admin API's <c>state</c>).</summary>
public static class SyncStates
{
    /// <summary>Running, or stopped with its silo and about to be resumed from its cursor.</summary>
    public const string Running = "running";

    /// <summary>Finished.</summary>
    public const string Done = "done";

    /// <summary>Stopped for good (a refusal by Stripe that retrying cannot fix, e.g. a revoked key); see <c>last_error</c>.</summary>
    public const string Failed = "failed";
}
