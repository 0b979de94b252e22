namespace Billing.Bench.LoadGenerator.Database;

/// <summary>
/// What a target's database did during a measured phase (<c>pg_stat_database</c> at its start and end), per event:
/// the events are the deliveries answered inside the phase. See <see cref="PgStatProbe"/> for the precision.
/// </summary>
internal sealed record DatabaseActivity(
    string Database,
    long Events,
    long Transactions,
    long Inserted,
    long Updated,
    long Deleted,
    double TransactionsPerEvent,
    double InsertedPerEvent,
    double UpdatedPerEvent,
    double DeletedPerEvent)
{
    /// <summary>The difference of two readings, or null when either is missing.</summary>
    public static DatabaseActivity? Between(string database, PgCounters? before, PgCounters? after, long events)
    {
        if (before is null || after is null)
        {
            return null;
        }

        var transactions = after.Transactions - before.Transactions;
        var inserted = after.Inserted - before.Inserted;
        var updated = after.Updated - before.Updated;
        var deleted = after.Deleted - before.Deleted;
        return new DatabaseActivity(database, events, transactions, inserted, updated, deleted,
            PerEvent(transactions, events), PerEvent(inserted, events), PerEvent(updated, events), PerEvent(deleted, events));
    }

    private static double PerEvent(long count, long events) => events > 0 ? Math.Round((double)count / events, 3) : 0;
}
