using System.Diagnostics;
using Billing.Grains.Journal;
using Npgsql;
using NpgsqlTypes;

namespace Billing.Journal.Postgres;

/// <summary>
/// The journal in PostgreSQL: every write through the silo's <see cref="GroupCommitWriter"/>, activations' reads
/// through its <see cref="GroupLoader"/>, other reads here.
/// </summary>
public sealed class PostgresJournalStore(NpgsqlDataSource dataSource, GroupCommitWriter writer, GroupLoader loader) : IJournalStore
{
    /// <inheritdoc/>
    public bool Durable => true;

    /// <inheritdoc/>
    public Task<AppendOutcome> AppendAsync(JournalAppend append, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(append);

        // Nothing listens (no exporter): no span, and no async frame around the writer's task on every append.
        var activity = JournalTracing.StartAppend(append);
        return activity is null ? writer.AppendAsync(append) : TracedAppendAsync(append, activity);
    }

    private async Task<AppendOutcome> TracedAppendAsync(JournalAppend append, Activity activity)
    {
        using (activity)
        {
            try
            {
                var outcome = await writer.AppendAsync(append);
                JournalTracing.Ended(activity, outcome);
                return outcome;
            }
            catch (Exception exception)
            {
                activity.SetStatus(ActivityStatusCode.Error, exception.GetType().Name);
                throw;
            }
        }
    }

    /// <summary>
    /// Appends outside the writer, inside the caller's transaction (the carrying-over of earlier versions' state rows
    /// by <c>migrate</c>, which commits the append with the rewritten state row). Same statement, same fencing.
    /// </summary>
    public static async Task<AppendOutcome> AppendInTransactionAsync(NpgsqlConnection connection, NpgsqlTransaction transaction,
        JournalAppend append, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(append);
        append.Validate();
        var batch = new WriterBatch(int.MaxValue, int.MaxValue);
        var operation = new AppendOperation(append);
        batch.TryAdd(operation);
        await using var command = batch.CreateCommand(connection, transaction);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? AppendOutcome.Appended : AppendOutcome.Conflict;
    }

    /// <inheritdoc/>
    public Task MarkSnapshotAsync(string customerId, long version, CancellationToken cancellationToken = default) =>
        writer.MarkSnapshotAsync(customerId, version);

    /// <inheritdoc/>
    public Task SaveCursorAsync(string consumer, string customerId, long version, CancellationToken cancellationToken = default) =>
        writer.SaveCursorAsync(consumer, customerId, version);

    /// <inheritdoc/>
    public async Task<CustomerJournal> LoadAsync(string customerId, long afterVersion, DateTimeOffset recentSince,
        CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(JournalSql.Load);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = customerId });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = afterVersion });
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = recentSince.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var tail = new List<JournalEntry>();
        var recent = new List<RecentEvent>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var recordedAt = ReadInstant(reader, 5);
            if (recordedAt >= recentSince)
            {
                recent.Add(new RecentEvent(reader.GetString(1), recordedAt));
            }

            if (!reader.IsDBNull(6))
            {
                tail.Add(ReadEntry(reader, customerId));
            }
        }

        return new CustomerJournal(afterVersion, tail, recent);
    }

    /// <inheritdoc/>
    public Task<CustomerJournal> LoadLatestAsync(string customerId, DateTimeOffset recentSince, CancellationToken cancellationToken = default) =>
        loader.LoadLatestAsync(customerId, recentSince);

    /// <inheritdoc/>
    public async Task<IReadOnlySet<string>> FindExistingAsync(string customerId, IReadOnlyCollection<string> eventIds,
        CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(JournalSql.FindExisting);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = customerId });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. eventIds] });
        var found = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            found.Add(reader.GetString(0));
        }

        return found;
    }

    /// <inheritdoc/>
    public async Task<JournalEntry?> FindEntryAsync(string customerId, string eventId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(JournalSql.FindEntry);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = customerId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = eventId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadEntry(reader, customerId) : null;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<JournalEntry>> ReadAsync(string customerId, long afterVersion, long upToVersion, int limit,
        bool withFacts, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(JournalSql.Read);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = customerId });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = afterVersion });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = upToVersion });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        command.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = withFacts });
        var entries = new List<JournalEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(ReadEntry(reader, customerId));
        }

        return entries;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<HistoryEntry>> ListAsync(string customerId, long afterVersion, int limit,
        CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(JournalSql.List);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = customerId });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = afterVersion });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        var entries = new List<HistoryEntry>(limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(ReadHistory(reader));
        }

        return entries;
    }

    /// <inheritdoc/>
    public async Task<HistoryEntry?> LatestAtAsync(string customerId, DateTimeOffset instant, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(JournalSql.LatestAt);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = customerId });
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = instant.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadHistory(reader) : null;
    }

    /// <inheritdoc/>
    public async Task<long> HeadVersionAsync(string customerId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(JournalSql.HeadVersion);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = customerId });
        return await command.ExecuteScalarAsync(cancellationToken) is long version ? version : 0;
    }

    /// <inheritdoc/>
    public async Task<long> LoadCursorAsync(string consumer, string customerId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(JournalSql.LoadCursor);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = consumer });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = customerId });
        return await command.ExecuteScalarAsync(cancellationToken) is long version ? version : 0;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<string>> FindDueGracesAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(JournalSql.DueGraces);
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = now.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        return await ReadStringsAsync(command, cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<LaggingConsumer>> FindLaggingConsumersAsync(DateTimeOffset quietSince, int limit,
        CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(JournalSql.LaggingConsumers);
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = quietSince.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        var lagging = new List<LaggingConsumer>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            lagging.Add(new LaggingConsumer(reader.GetString(0), reader.GetString(1)));
        }

        return lagging;
    }

    /// <inheritdoc/>
    public async Task<PruneResult> PruneAsync(string? afterCustomerId, int customers, DateTimeOffset cutoff,
        CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(JournalSql.Prune);
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)afterCustomerId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = customers });
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = cutoff.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var seen = (int)reader.GetInt64(1);
        return new PruneResult(seen < customers || reader.IsDBNull(0) ? null : reader.GetString(0), seen, reader.GetInt64(2));
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<string>> ListCustomersAsync(string? afterCustomerId, int limit, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(JournalSql.ListCustomers);
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)afterCustomerId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        return await ReadStringsAsync(command, cancellationToken);
    }

    private static async Task<IReadOnlyList<string>> ReadStringsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var values = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }

    // Columns from first: version, event_id, event_type, source, created, recorded_at, facts (or NULL), effects.
    internal static JournalEntry ReadEntry(NpgsqlDataReader reader, string customerId, int first = 0) => new(
        customerId,
        reader.GetInt64(first),
        reader.GetString(first + 1),
        reader.GetString(first + 2),
        JournalSources.Parse(reader.GetString(first + 3)),
        reader.IsDBNull(first + 4) ? null : ReadInstant(reader, first + 4),
        ReadInstant(reader, first + 5),
        reader.IsDBNull(first + 6) ? string.Empty : reader.GetString(first + 6),
        JournalJson.Deserialize(reader.GetString(first + 7)));

    // Columns: version, event_id, event_type, source, created, recorded_at, effects.
    private static HistoryEntry ReadHistory(NpgsqlDataReader reader) => JournalJson.History(
        reader.GetString(6), reader.GetInt64(0), reader.GetString(1), reader.GetString(2), JournalSources.Parse(reader.GetString(3)),
        reader.IsDBNull(4) ? null : ReadInstant(reader, 4), ReadInstant(reader, 5));

    internal static DateTimeOffset ReadInstant(NpgsqlDataReader reader, int ordinal) =>
        new(DateTime.SpecifyKind(reader.GetDateTime(ordinal), DateTimeKind.Utc));
}
