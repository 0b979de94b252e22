namespace Billing.Grains.Recovery;

/// <summary>A recovery job as operators see it (<c>GET /admin/stripe/jobs</c>).</summary>
/// <param name="Id">The job's id.</param>
/// <param name="Kind">One of <see cref="SyncKinds"/>.</param>
/// <param name="State">One of <see cref="SyncStates"/>.</param>
/// <param name="StartedAt">When it started.</param>
/// <param name="FinishedAt">When it ended; null while running.</param>
/// <param name="Counts">What it did so far.</param>
/// <param name="Progress">0 to 1, where the job can tell.</param>
/// <param name="LastError">The latest problem (a refusal, a retry, a mass drift), without personal data.</param>
[GenerateSerializer]
[Immutable]
[Alias("billing.SyncJob")]
public sealed record SyncJob(
    [property: Id(0)] string Id,
    [property: Id(1)] string Kind,
    [property: Id(2)] string State,
    [property: Id(3)] DateTimeOffset StartedAt,
    [property: Id(4)] DateTimeOffset? FinishedAt,
    [property: Id(5)] SyncCounts Counts,
    [property: Id(6)] double? Progress,
    [property: Id(7)] string? LastError);

/// <summary>What a job did: objects or events read, and what became of them.</summary>
/// <param name="Fetched">Objects or events read from Stripe.</param>
/// <param name="Applied">Applied to a customer (journaled).</param>
/// <param name="Duplicate">Already applied (an event the customer had).</param>
/// <param name="Ignored">Not used by billing (a type, no customer, the other mode), or older than dedupe can recognise.</param>
/// <param name="Failed">Could not be applied (a customer's journal refused it); the job reads them again later.</param>
/// <param name="Repaired">Customers whose drift was repaired (reconciliation).</param>
[GenerateSerializer]
[Immutable]
[Alias("billing.SyncCounts")]
public sealed record SyncCounts(
    [property: Id(0)] long Fetched = 0,
    [property: Id(1)] long Applied = 0,
    [property: Id(2)] long Duplicate = 0,
    [property: Id(3)] long Ignored = 0,
    [property: Id(4)] long Failed = 0,
    [property: Id(5)] long Repaired = 0)
{
    /// <summary>The sum of two counts.</summary>
    public static SyncCounts operator +(SyncCounts left, SyncCounts right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        return new(left.Fetched + right.Fetched, left.Applied + right.Applied, left.Duplicate + right.Duplicate,
            left.Ignored + right.Ignored, left.Failed + right.Failed, left.Repaired + right.Repaired);
    }

    /// <summary>The sum (named alternative of the operator).</summary>
    public static SyncCounts Add(SyncCounts left, SyncCounts right) => left + right;
}
