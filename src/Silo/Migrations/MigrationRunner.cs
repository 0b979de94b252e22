using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Billing.Silo.Migrations;

/// <summary>
/// Applies schema migrations to a PostgreSQL database, in version order, each in its own transaction,
/// and records each one in <c>billing_schema_migrations</c> in the same transaction. Running it again
/// applies nothing; runners started at the same time (a deployment Job and a developer, several silos)
/// take turns on a PostgreSQL advisory lock, so no script is ever applied twice.
/// </summary>
public sealed class MigrationRunner(NpgsqlDataSource dataSource, ILogger<MigrationRunner> logger)
{
    /// <summary>The table that records applied migrations.</summary>
    public const string HistoryTable = "billing_schema_migrations";

    /// <summary>
    /// The session-level advisory lock (<c>pg_advisory_lock(bigint)</c>) a runner holds while it works:
    /// the bytes of "BILLING". Another tool must not use this key for anything else.
    /// </summary>
    public const long LockKey = 0x0042_494C_4C49_4E47;

    private const string CreateHistoryTableSql = $"""
        CREATE TABLE IF NOT EXISTS {HistoryTable}
        (
            version    integer     PRIMARY KEY,
            name       text        NOT NULL,
            applied_at timestamptz NOT NULL DEFAULT now()
        )
        """;

    private readonly NpgsqlDataSource _dataSource = dataSource ?? throw new ArgumentNullException(nameof(dataSource));
    private readonly ILogger<MigrationRunner> _logger = logger ?? throw new ArgumentNullException(nameof(logger));

    /// <summary>Applies the embedded migrations (<see cref="EmbeddedMigrations.All"/>) not applied yet.</summary>
    /// <returns>The migrations this call applied, in order; empty when the schema was up to date.</returns>
    public Task<IReadOnlyList<AppliedMigration>> ApplyAsync(CancellationToken cancellationToken = default) =>
        ApplyAsync(EmbeddedMigrations.All, cancellationToken);

    /// <summary>Applies those of <paramref name="migrations"/> not applied yet, in version order.</summary>
    /// <returns>The migrations this call applied, in order; empty when the schema was up to date.</returns>
    /// <exception cref="PostgresException">A script failed: it was rolled back, and the ones after it not run.</exception>
    public async Task<IReadOnlyList<AppliedMigration>> ApplyAsync(
        IReadOnlyList<Migration> migrations, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(migrations);
        var ordered = migrations.OrderBy(migration => migration.Version).ToList();
        var duplicate = ordered.GroupBy(migration => migration.Version).FirstOrDefault(group => group.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"Two migrations share version {duplicate.Key}.", nameof(migrations));
        }

        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await AcquireLockAsync(connection, cancellationToken);
        try
        {
            await ExecuteAsync(connection, CreateHistoryTableSql, cancellationToken);
            var recorded = await ReadRecordedAsync(connection, cancellationToken);
            WarnAboutDivergence(ordered, recorded);

            var applied = new List<AppliedMigration>();
            foreach (var migration in ordered.Where(migration => !recorded.ContainsKey(migration.Version)))
            {
                applied.Add(await ApplyOneAsync(connection, migration, cancellationToken));
            }

            if (applied.Count == 0)
            {
                _logger.LogInformation(
                    "Schema is up to date: {MigrationCount} migrations applied, latest version {Version}",
                    recorded.Count, recorded.Count == 0 ? 0 : recorded.Keys.Max());
            }

            return applied;
        }
        finally
        {
            await ReleaseLockAsync(connection);
        }
    }

    /// <summary>The migrations recorded in the database, in version order; empty before the first run.</summary>
    public async Task<IReadOnlyList<AppliedMigration>> GetAppliedAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        // A literal, not a parameter: to_regclass takes cstring before PostgreSQL 14, and text has no cast to it.
        await using var exists = new NpgsqlCommand($"SELECT to_regclass('{HistoryTable}') IS NOT NULL", connection);
        if (await exists.ExecuteScalarAsync(cancellationToken) is not true)
        {
            return [];
        }

        return [.. (await ReadRecordedAsync(connection, cancellationToken)).Values];
    }

    private async Task<AppliedMigration> ApplyOneAsync(
        NpgsqlConnection connection, Migration migration, CancellationToken cancellationToken)
    {
        _logger.LogInformation("Applying migration {MigrationVersion} {MigrationName}", migration.Version, migration.Name);
        var stopwatch = Stopwatch.StartNew();

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        try
        {
            // A script may run for long (an index on a big table): the caller's token bounds it, not a timeout.
            await using (var script = new NpgsqlCommand(migration.Sql, connection, transaction) { CommandTimeout = 0 })
            {
                await script.ExecuteNonQueryAsync(cancellationToken);
            }

            await using var record = new NpgsqlCommand(
                $"INSERT INTO {HistoryTable} (version, name) VALUES (@version, @name) RETURNING applied_at",
                connection,
                transaction);
            record.Parameters.AddWithValue("version", migration.Version);
            record.Parameters.AddWithValue("name", migration.Name);
            var appliedAt = (DateTime)(await record.ExecuteScalarAsync(cancellationToken))!;

            await transaction.CommitAsync(cancellationToken);

            _logger.LogInformation(
                "Applied migration {MigrationVersion} {MigrationName} in {ElapsedMilliseconds} ms",
                migration.Version, migration.Name, stopwatch.ElapsedMilliseconds);
            return new AppliedMigration(migration.Version, migration.Name, new DateTimeOffset(appliedAt, TimeSpan.Zero));
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            _logger.LogError(
                exception, "Migration {MigrationVersion} {MigrationName} failed and was rolled back",
                migration.Version, migration.Name);
            throw;
        }
    }

    private async Task AcquireLockAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var tryLock = new NpgsqlCommand("SELECT pg_try_advisory_lock(@key)", connection);
        tryLock.Parameters.AddWithValue("key", LockKey);
        if (await tryLock.ExecuteScalarAsync(cancellationToken) is true)
        {
            return;
        }

        _logger.LogInformation("Another migrator holds the migration lock {LockKey}; waiting for it to finish", LockKey);
        await using var waitForLock = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", connection) { CommandTimeout = 0 };
        waitForLock.Parameters.AddWithValue("key", LockKey);
        await waitForLock.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task ReleaseLockAsync(NpgsqlConnection connection)
    {
        // The lock belongs to the session, and a pooled connection outlives this call: release it
        // explicitly. If the connection is broken, the server has already dropped the session and its lock.
        try
        {
            await using var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", connection);
            unlock.Parameters.AddWithValue("key", LockKey);
            await unlock.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch (NpgsqlException exception)
        {
            _logger.LogWarning(exception, "Could not release the migration lock {LockKey}", LockKey);
        }
    }

    private void WarnAboutDivergence(List<Migration> known, SortedDictionary<int, AppliedMigration> recorded)
    {
        var byVersion = known.ToDictionary(migration => migration.Version);
        foreach (var entry in recorded.Values)
        {
            if (!byVersion.TryGetValue(entry.Version, out var migration))
            {
                _logger.LogWarning(
                    "The database records migration {MigrationVersion} {MigrationName}, which this build does not know: it was applied by a newer build",
                    entry.Version, entry.Name);
            }
            else if (!string.Equals(migration.Name, entry.Name, StringComparison.Ordinal))
            {
                _logger.LogWarning(
                    "Migration {MigrationVersion} is recorded as {RecordedName} but this build calls it {MigrationName}",
                    entry.Version, entry.Name, migration.Name);
            }
        }
    }

    private static async Task<SortedDictionary<int, AppliedMigration>> ReadRecordedAsync(
        NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"SELECT version, name, applied_at FROM {HistoryTable} ORDER BY version", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var recorded = new SortedDictionary<int, AppliedMigration>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var version = reader.GetInt32(0);
            recorded[version] = new AppliedMigration(version, reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2));
        }

        return recorded;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
