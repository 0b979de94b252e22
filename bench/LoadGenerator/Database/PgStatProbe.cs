using Npgsql;

namespace Billing.Bench.LoadGenerator.Database;

/// <summary>
/// Reads a target's database counters from <c>pg_stat_database</c> (transactions, rows inserted, updated, deleted),
/// so that a phase can say how many PostgreSQL transactions one event cost.
/// </summary>
/// <remarks>
/// Precision. A backend adds its counts to <c>pg_stat_database</c> lazily: at the end of a transaction when at least
/// a second has passed since its last flush (PostgreSQL 15+: PGSTAT_MIN_INTERVAL), otherwise later, after at most
/// 10 s idle (PGSTAT_IDLE_INTERVAL); no SQL function makes another backend flush. So a reading misses up to about the
/// last second of each busy backend's work. Both readings of a phase are taken while the load runs (when the
/// measured phase starts, and the moment it ends, before the senders' last requests are answered), so the two misses
/// are alike and cancel under steady load: the difference counts a window as long as the measured one, shifted back
/// by up to ≈1 s. Expect a few percent at 30 s, more in the short smoke phases. Reading after a pause instead would
/// count the tail of one side only. The reading's own query is one transaction in the same database (±1).
/// </remarks>
internal sealed class PgStatProbe : IAsyncDisposable
{
    private const string Query = """
        SELECT xact_commit + xact_rollback, tup_inserted, tup_updated, tup_deleted
        FROM pg_stat_database WHERE datname = current_database()
        """;

    private readonly NpgsqlDataSource _dataSource;

    private PgStatProbe(string connectionString)
    {
        var settings = new NpgsqlConnectionStringBuilder(connectionString)
        {
            // Not the product's pool, and never in its way: one connection, kept open between readings so that a
            // reading costs a round trip, not a new backend.
            MaxPoolSize = 1,
            ApplicationName = "billing-bench-pgstat",
            Timeout = 5,
            CommandTimeout = 5,
        };
        Database = settings.Database ?? settings.Username ?? "?";
        _dataSource = NpgsqlDataSource.Create(settings);
    }

    /// <summary>The database the counters are of.</summary>
    public string Database { get; }

    /// <summary>A probe for <paramref name="connectionString"/>, or null when none was given.</summary>
    public static PgStatProbe? Create(string? connectionString) =>
        string.IsNullOrWhiteSpace(connectionString) ? null : new PgStatProbe(connectionString);

    /// <summary>The counters now, or null (said on stderr) when the database could not be read: a missing figure
    /// must not stop the benchmark.</summary>
    public async Task<PgCounters?> ReadAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var command = _dataSource.CreateCommand(Query);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            return await reader.ReadAsync(cancellationToken)
                ? new PgCounters(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3))
                : null;
        }
        catch (Exception exception) when (exception is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            await Console.Error.WriteLineAsync($"[pg_stat] {Database}: not read ({exception.Message})");
            return null;
        }
    }

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}
