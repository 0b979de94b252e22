using System.Collections.Immutable;
using Billing.Grains.Recovery;
using Npgsql;
using NpgsqlTypes;

namespace Billing.Recovery.Store;

/// <summary>Recovery's store in PostgreSQL (migration <c>0007_billing_stripe_sync</c>).</summary>
public sealed class PostgresSyncStore(NpgsqlDataSource dataSource) : SyncStore
{
    private const string JobColumns = "id, kind, state, started_at, finished_at, counts::text, progress, last_error, cursor::text, revision";

    /// <inheritdoc/>
    public override async Task<bool> TryStartAsync(SyncJobRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        // The partial unique index on (kind) WHERE state = 'running' refuses a second running job of the kind.
        await using var command = dataSource.CreateCommand(
            """
            INSERT INTO billing_sync_jobs (id, kind, state, started_at, finished_at, counts, progress, last_error, cursor, revision)
            VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9::jsonb, $10)
            ON CONFLICT DO NOTHING
            """);
        AddJob(command, record, record.Revision);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <inheritdoc/>
    public override async Task<SyncJobRecord?> FindRunningAsync(string kind, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"SELECT {JobColumns} FROM billing_sync_jobs WHERE kind = $1 AND state = 'running'");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = kind });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadRecord(reader) : null;
    }

    /// <inheritdoc/>
    public override async Task<SyncJobRecord?> SaveAsync(SyncJobRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        await using var command = dataSource.CreateCommand(
            """
            UPDATE billing_sync_jobs
            SET kind = $2, state = $3, started_at = $4, finished_at = $5, counts = $6::jsonb, progress = $7, last_error = $8,
                cursor = $9::jsonb, revision = $10
            WHERE id = $1 AND revision = $11
            """);
        AddJob(command, record, record.Revision + 1);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = record.Revision });
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1 ? record with { Revision = record.Revision + 1 } : null;
    }

    /// <inheritdoc/>
    public override async Task<ImmutableArray<SyncJob>> ListJobsAsync(DateTimeOffset since, int limit, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT {JobColumns} FROM billing_sync_jobs WHERE started_at >= $1 ORDER BY started_at DESC, id DESC LIMIT $2");
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = since });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        var jobs = ImmutableArray.CreateBuilder<SyncJob>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            jobs.Add(ReadRecord(reader).Job);
        }

        return jobs.ToImmutable();
    }

    /// <inheritdoc/>
    public override async Task AddDriftsAsync(string jobId, IReadOnlyCollection<DriftRecord> drifts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(drifts);
        if (drifts.Count == 0)
        {
            return;
        }

        // One statement for the whole set (unnest of arrays), however many customers drifted.
        await using var command = dataSource.CreateCommand(
            """
            INSERT INTO billing_drift (job_id, customer_id, detected_at, billing, stripe, repaired)
            SELECT $1, c, d, b::jsonb, s::jsonb, r FROM unnest($2::text[], $3::timestamptz[], $4::text[], $5::text[], $6::boolean[]) AS t(c, d, b, s, r)
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = jobId });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. drifts.Select(d => d.CustomerId)] });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset[]> { TypedValue = [.. drifts.Select(d => d.DetectedAt)] });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. drifts.Select(d => SyncJson.Write(d.Billing))] });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. drifts.Select(d => SyncJson.Write(d.Stripe))] });
        command.Parameters.Add(new NpgsqlParameter<bool[]> { TypedValue = [.. drifts.Select(d => d.Repaired)] });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <inheritdoc/>
    public override async Task<ImmutableArray<DriftRecord>> ListDriftsAsync(DateTimeOffset since, int limit, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT customer_id, detected_at, billing::text, stripe::text, repaired FROM billing_drift
            WHERE detected_at >= $1 ORDER BY detected_at DESC, id DESC LIMIT $2
            """);
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = since });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        var drifts = ImmutableArray.CreateBuilder<DriftRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            drifts.Add(new DriftRecord(reader.GetString(0), reader.GetFieldValue<DateTimeOffset>(1), SyncJson.ReadSide(reader.GetString(2)),
                SyncJson.ReadSide(reader.GetString(3)), reader.GetBoolean(4)));
        }

        return drifts.ToImmutable();
    }

    /// <inheritdoc/>
    public override async Task<string?> GetValueAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("SELECT value::text FROM billing_sync_state WHERE name = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = name });
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    /// <inheritdoc/>
    public override async Task SetValueAsync(string name, string json, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            """
            INSERT INTO billing_sync_state (name, value, updated_at) VALUES ($1, $2::jsonb, now())
            ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = name });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = json });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <inheritdoc/>
    public override async Task PruneAsync(DateTimeOffset before, CancellationToken cancellationToken = default)
    {
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand("DELETE FROM billing_sync_jobs WHERE state <> 'running' AND started_at < $1")
        {
            Parameters = { new NpgsqlParameter<DateTimeOffset> { TypedValue = before } },
        });
        batch.BatchCommands.Add(new NpgsqlBatchCommand("DELETE FROM billing_drift WHERE detected_at < $1")
        {
            Parameters = { new NpgsqlParameter<DateTimeOffset> { TypedValue = before } },
        });
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    private static void AddJob(NpgsqlCommand command, SyncJobRecord record, long revision)
    {
        var job = record.Job;
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = job.Id });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = job.Kind });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = job.State });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = job.StartedAt });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)job.FinishedAt ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = SyncJson.Write(job.Counts) });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)job.Progress ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Double });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)job.LastError ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)record.Cursor ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = revision });
    }

    private static SyncJobRecord ReadRecord(NpgsqlDataReader reader) => new(
        new SyncJob(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3),
            reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4), SyncJson.ReadCounts(reader.GetString(5)),
            reader.IsDBNull(6) ? null : reader.GetDouble(6), reader.IsDBNull(7) ? null : reader.GetString(7)),
        reader.IsDBNull(8) ? null : reader.GetString(8),
        reader.GetInt64(9));
}
