using Npgsql;
using NpgsqlTypes;

namespace Billing.Grains.Risk;

/// <summary>
/// The at-risk index in PostgreSQL (migration <c>0009_billing_risk_index</c>): one row per customer at risk, read
/// through the index on (score, updated_at, customer_id) backwards, so a page costs the same whatever the table's size.
/// </summary>
public sealed class PostgresRiskIndex(NpgsqlDataSource dataSource) : IRiskIndex
{
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
    public async Task UpsertAsync(string customerKey, RiskAssessment assessment, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(customerKey);
        ArgumentNullException.ThrowIfNull(assessment);
        // An older write never replaces a newer one; writing what the row already says keeps its updated_at, so that the
        // grain's re-upsert on activation changes nothing.
        await using var command = dataSource.CreateCommand(
            """
            INSERT INTO billing_risk_index AS current (customer_id, score, band, cancelling, reasons, updated_at, expires_at)
            VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7)
            ON CONFLICT (customer_id) DO UPDATE
            SET score = excluded.score, band = excluded.band, cancelling = excluded.cancelling, reasons = excluded.reasons,
                updated_at = excluded.updated_at, expires_at = excluded.expires_at
            WHERE current.updated_at <= excluded.updated_at
              AND (current.score, current.cancelling, current.reasons) IS DISTINCT FROM (excluded.score, excluded.cancelling, excluded.reasons)
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = customerKey });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = assessment.Score });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = assessment.Band.ToString().ToLowerInvariant() });
        command.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = assessment.Cancelling });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = RiskJson.Serialize(assessment.Reasons) });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = RiskIndexRow.Microseconds(at) });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)assessment.EmptyAt ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <inheritdoc/>
    public async Task RemoveAsync(string customerKey, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(customerKey);
        await using var command = dataSource.CreateCommand("DELETE FROM billing_risk_index WHERE customer_id = $1 AND updated_at <= $2");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = customerKey });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = RiskIndexRow.Microseconds(at) });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<AtRiskPage> ListAsync(int limit, RiskCursor? cursor, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        await using var command = dataSource.CreateCommand(cursor is null ? FirstPage : NextPage);
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
