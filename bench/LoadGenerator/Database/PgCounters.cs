namespace Billing.Bench.LoadGenerator.Database;

/// <summary>One reading of a database's cumulative counters in <c>pg_stat_database</c>.</summary>
/// <param name="Transactions">xact_commit + xact_rollback.</param>
/// <param name="Inserted">tup_inserted.</param>
/// <param name="Updated">tup_updated.</param>
/// <param name="Deleted">tup_deleted.</param>
internal sealed record PgCounters(long Transactions, long Inserted, long Updated, long Deleted);
