using Npgsql;
using NpgsqlTypes;

namespace Billing.Grains.Risk;

/// <summary>
/// The at-risk index in PostgreSQL (migration <c>0009_billing_risk_index</c>): one row per customer at risk, read
/// through the index on (score, updated_at, customer_id) backwards, so a page costs the same whatever the table's size.
/// Writes are gathered by a <see cref="RiskIndexWriter"/>: what many customers' grains write while one batch is in flight
/// goes in the next, as one round trip (one row per customer: the latest write), so the index costs far less than a
/// transaction per change.
/// </summary>
public sealed class PostgresRiskIndex : IRiskIndex, IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly RiskIndexWriter _writer;

    /// <summary>The index on <paramref name="dataSource"/>.</summary>
    public PostgresRiskIndex(NpgsqlDataSource dataSource)
    {
        _dataSource = dataSource;
        _writer = new RiskIndexWriter(WriteBatchAsync);
    }

    private const string Columns = "customer_id, score, cancelling, reasons::text, updated_at";

    // Rows whose every reason's window has passed are skipped; the rest are ordered as the index is.
    private const string FirstPage =
        $"""
        SELECT {Columns} FROM billing_risk_index
        WHERE (expires_at IS NULL OR expires_at > $1)
        ORDER BY score DESC, updated_at DESC, customer_id DESC
        LIMIT $2
        """;

    private const string NextPage =
        $"""
        SELECT {Columns} FROM billing_risk_index
        WHERE (expires_at IS NULL OR expires_at > $1) AND (score, updated_at, customer_id) < ($3, $4, $5)
        ORDER BY score DESC, updated_at DESC, customer_id DESC
        LIMIT $2
        """;

    /// <inheritdoc/>
    public Task UpsertAsync(string customerKey, RiskAssessment assessment, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(customerKey);
        ArgumentNullException.ThrowIfNull(assessment);
        return _writer.WriteAsync(new RiskWrite(customerKey, assessment, RiskIndexRow.Microseconds(at)));
    }

    /// <inheritdoc/>
    public Task RemoveAsync(string customerKey, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(customerKey);
        return _writer.WriteAsync(new RiskWrite(customerKey, null, RiskIndexRow.Microseconds(at)));
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => _writer.DisposeAsync();

    // One round trip for a batch of many customers' writes: an upsert of every row set and a delete of every row
    // removed. An older write never replaces a newer one; writing what the row already says keeps its updated_at, so
    // that the grain's re-upsert on activation changes nothing.
    private async Task WriteBatchAsync(IReadOnlyList<RiskWrite> writes)
    {
        await using var batch = _dataSource.CreateBatch();
        var upserts = writes.Where(write => write.Assessment is not null).ToArray();
        if (upserts.Length > 0)
        {
            var upsert = new NpgsqlBatchCommand(
                """
                INSERT INTO billing_risk_index AS current (customer_id, score, band, cancelling, reasons, updated_at, expires_at)
                SELECT w.customer_id, w.score, w.band, w.cancelling, w.reasons::jsonb, w.updated_at, w.expires_at
                FROM unnest($1::text[], $2::int[], $3::text[], $4::bool[], $5::text[], $6::timestamptz[], $7::timestamptz[])
                    AS w(customer_id, score, band, cancelling, reasons, updated_at, expires_at)
                ON CONFLICT (customer_id) DO UPDATE
                SET score = excluded.score, band = excluded.band, cancelling = excluded.cancelling, reasons = excluded.reasons,
                    updated_at = excluded.updated_at, expires_at = excluded.expires_at
                WHERE current.updated_at <= excluded.updated_at
                  AND (current.score, current.cancelling, current.reasons) IS DISTINCT FROM (excluded.score, excluded.cancelling, excluded.reasons)
                """);
            upsert.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. upserts.Select(w => w.CustomerKey)] });
            upsert.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = [.. upserts.Select(w => w.Assessment!.Score)] });
            upsert.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. upserts.Select(w => w.Assessment!.Band.ToString().ToLowerInvariant())] });
            upsert.Parameters.Add(new NpgsqlParameter<bool[]> { TypedValue = [.. upserts.Select(w => w.Assessment!.Cancelling)] });
            upsert.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. upserts.Select(w => RiskJson.Serialize(w.Assessment!.Reasons))] });
            upsert.Parameters.Add(new NpgsqlParameter<DateTimeOffset[]> { TypedValue = [.. upserts.Select(w => w.At)] });
            upsert.Parameters.Add(new NpgsqlParameter
            {
                Value = upserts.Select(w => w.Assessment!.EmptyAt is { } empty ? (object)empty : DBNull.Value).ToArray(),
                NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz,
            });
            batch.BatchCommands.Add(upsert);
        }

        var removals = writes.Where(write => write.Assessment is null).ToArray();
        if (removals.Length > 0)
        {
            var remove = new NpgsqlBatchCommand(
                """
                DELETE FROM billing_risk_index AS current USING unnest($1::text[], $2::timestamptz[]) AS d(customer_id, at)
                WHERE current.customer_id = d.customer_id AND current.updated_at <= d.at
                """);
            remove.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. removals.Select(w => w.CustomerKey)] });
            remove.Parameters.Add(new NpgsqlParameter<DateTimeOffset[]> { TypedValue = [.. removals.Select(w => w.At)] });
            batch.BatchCommands.Add(remove);
        }

        await batch.ExecuteNonQueryAsync();
    }

    /// <inheritdoc/>
    public async Task<AtRiskPage> ListAsync(int limit, RiskCursor? cursor, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        await using var command = _dataSource.CreateCommand(cursor is null ? FirstPage : NextPage);
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit + 1 });
        if (cursor is not null)
        {
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = cursor.Score });
            command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = cursor.UpdatedAt });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = cursor.CustomerId });
        }

        var rows = new List<RiskIndexRow>(limit + 1);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var reasons = RiskJson.Deserialize(reader.GetString(3));
            var assessment = new RiskAssessment(reader.GetInt32(1), RiskAssessment.BandOf(reader.GetInt32(1)), reader.GetBoolean(2), reasons);
            rows.Add(new RiskIndexRow(reader.GetString(0), assessment, reader.GetFieldValue<DateTimeOffset>(4)));
        }

        return RiskPages.Of(rows, limit, now);
    }
}
