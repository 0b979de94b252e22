using System.Diagnostics;
using Npgsql;

namespace Billing.Bench.LoadGenerator.Database;

/// <summary>
/// Reads a target's database counters from <c>pg_stat_database</c> (transactions, rows inserted, updated, deleted),
/// so that a phase can say how many PostgreSQL transactions one event cost.
/// </summary>
/// <remarks>
/// Why a series of readings and a fitted slope rather than one reading at each end: a backend adds its counts to
/// <c>pg_stat_database</c> lazily, at the end of a transaction once a second has passed since its last flush
/// (PostgreSQL 15+: PGSTAT_MIN_INTERVAL; an idle backend's rest after 10 s), and no SQL function makes another
/// backend flush. So any one reading misses up to the last second of the load's transactions, and backends that
/// started together flush in step: two readings were 2–16% off over 6 s of pgbench on this machine (its own
/// per-transaction log as the truth). The counters read every <see cref="Interval"/> through the measured phase,
/// a least-squares line through them and its slope times the phase's length came within 1% in the same test; the
/// error falls with the phase's length (a few seconds of smoke run: several percent). The readings come through
/// the server's <c>postgres</c> database, so they are not counted in the target's.
/// </remarks>
internal sealed class PgStatProbe : IAsyncDisposable
{
    /// <summary>How often the counters are read during a measured phase.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    private const string Query = """
        SELECT xact_commit + xact_rollback, tup_inserted, tup_updated, tup_deleted
        FROM pg_stat_database WHERE datname = $1
        """;

    private readonly NpgsqlDataSource _dataSource;

    private PgStatProbe(string connectionString)
    {
        var settings = new NpgsqlConnectionStringBuilder(connectionString);
        Database = settings.Database ?? settings.Username ?? "postgres";
        // Another database of the same server: pg_stat_database shows every database's row from any of them.
        settings.Database = "postgres";
        // Never in the target's way: one connection of its own, kept open between readings, so that a reading costs a
        // round trip, not a new backend.
        settings.MaxPoolSize = 1;
        settings.ApplicationName = "billing-bench-pgstat";
        settings.Timeout = 5;
        settings.CommandTimeout = 5;
        _dataSource = NpgsqlDataSource.Create(settings);
    }

    /// <summary>The database the counters are of.</summary>
    public string Database { get; }

    /// <summary>A probe for <paramref name="connectionString"/>'s database, or null when none was given.</summary>
    public static PgStatProbe? Create(string? connectionString) =>
        string.IsNullOrWhiteSpace(connectionString) ? null : new PgStatProbe(connectionString);

    /// <summary>The counters now, or null (said on stderr) when the database could not be read: a missing figure
    /// must not stop the benchmark.</summary>
    public async Task<PgCounters?> ReadAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var command = _dataSource.CreateCommand(Query);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Database });
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

    /// <summary>Reads the counters every <see cref="Interval"/> until <paramref name="stop"/>, and once more then.</summary>
    public async Task<List<PgSample>> SampleAsync(CancellationToken stop)
    {
        var samples = new List<PgSample>(1024);
        while (true)
        {
            var before = Stopwatch.GetTimestamp();
            // Not cancelled by stop: the last reading, the one at the end of the phase, must complete.
            if (await ReadAsync(CancellationToken.None) is { } counters)
            {
                // The middle of the round trip: when the server most likely read them.
                samples.Add(new PgSample(before + ((Stopwatch.GetTimestamp() - before) / 2), counters));
            }

            if (stop.IsCancellationRequested)
            {
                return samples;
            }

            try
            {
                await Task.Delay(Interval, stop);
            }
            catch (OperationCanceledException)
            {
                // The phase ended: one more reading, then done.
            }
        }
    }

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}
