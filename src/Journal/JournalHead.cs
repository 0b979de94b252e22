namespace Billing.Journal;

/// <summary>
/// A customer's head row as an append leaves it: the version that fences writers, and what the sweeper needs to
/// know without reading the journal.
/// </summary>
/// <param name="Version">The journal version after the append.</param>
/// <param name="GraceEndsAt">While in grace: when it runs out (the sweeper then wakes the customer).</param>
/// <param name="FulfillmentVersion">The latest entry with something for the fulfillment consumer; 0 if none.</param>
/// <param name="NotificationVersion">The latest entry with something for the notification consumer; 0 if none.</param>
/// <param name="SnapshotVersion">The journal version of the customer's latest stored snapshot (pruning keeps what follows it).</param>
public sealed record JournalHead(
    long Version,
    DateTimeOffset? GraceEndsAt,
    long FulfillmentVersion,
    long NotificationVersion,
    long SnapshotVersion);
