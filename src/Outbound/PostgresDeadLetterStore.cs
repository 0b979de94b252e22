using Npgsql;
using NpgsqlTypes;

namespace Billing.Outbound;

/// <summary>Dead letters in PostgreSQL, table <c>billing_dead_letters</c> (migration <c>0005_billing_dead_letters</c>).</summary>
public sealed class PostgresDeadLetterStore(NpgsqlDataSource dataSource) : DeadLetterStore
{
    private const string Columns =
        "id, message_id, message_type, target, customer_id, endpoint, status_code, error, created_at, replayed_at, replay_status_code, purged_at";

    private readonly NpgsqlDataSource _dataSource = dataSource ?? throw new ArgumentNullException(nameof(dataSource));

    /// <inheritdoc />
    public override bool IsDurable => true;

    /// <inheritdoc />
    public override async Task<bool> AddAsync(NewDeadLetter deadLetter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(deadLetter);
        await using var command = _dataSource.CreateCommand(
            """
            INSERT INTO billing_dead_letters (message_id, message_type, target, customer_id, endpoint, body, status_code, error)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            ON CONFLICT (message_id, target, endpoint) WHERE purged_at IS NULL DO NOTHING
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = deadLetter.MessageId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = deadLetter.MessageType });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = TargetName(deadLetter.Target) });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = deadLetter.CustomerId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = deadLetter.Endpoint });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = deadLetter.Body });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)deadLetter.StatusCode ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = deadLetter.Error });
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <inheritdoc />
    public override async Task<IReadOnlyList<DeadLetter>> ListAsync(DeadLetterQuery query, CancellationToken cancellationToken = default)
    {
        Validate(query);
        await using var command = _dataSource.CreateCommand(
            $"""
            SELECT {Columns}, NULL::text AS body
            FROM billing_dead_letters
            WHERE ($1::bigint IS NULL OR id < $1)
              AND (NOT $2 OR replayed_at IS NULL)
              AND ($4::text IS NULL OR customer_id = $4)
            ORDER BY id DESC
            LIMIT $3
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)query.Before ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint });
        command.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = query.PendingOnly });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = query.Limit });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)query.CustomerId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });

        var page = new List<DeadLetter>(Math.Min(query.Limit, 64));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            page.Add(Read(reader));
        }

        return page;
    }

    /// <inheritdoc />
    public override async Task<DeadLetter?> GetAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand($"SELECT {Columns}, body FROM billing_dead_letters WHERE id = $1");
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = id });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    /// <inheritdoc />
    public override async Task<DateTimeOffset?> MarkReplayedAsync(long id, int statusCode, CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand(
            "UPDATE billing_dead_letters SET replayed_at = now(), replay_status_code = $2 WHERE id = $1 RETURNING replayed_at");
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = id });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = statusCode });
        return await command.ExecuteScalarAsync(cancellationToken) is DateTime replayedAt
            ? new DateTimeOffset(replayedAt, TimeSpan.Zero)
            : null;
    }

    /// <inheritdoc />
    public override async Task<int> PurgeAsync(DateTimeOffset createdBefore, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        // The oldest first, rows another silo's purge holds skipped: silos purge side by side without waiting.
        var ids = new List<long>();
        var endpoints = new List<string>();
        var bodies = new List<string>();
        var errors = new List<string>();
        await using (var select = new NpgsqlCommand(
            """
            SELECT id, endpoint, body, status_code
            FROM billing_dead_letters
            WHERE purged_at IS NULL AND created_at < $1
            ORDER BY created_at
            LIMIT $2
            FOR UPDATE SKIP LOCKED
            """, connection, transaction))
        {
            select.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = createdBefore });
            select.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                ids.Add(reader.GetInt64(0));
                endpoints.Add(DeadLetterRedaction.Origin(reader.GetString(1)));
                bodies.Add(DeadLetterRedaction.Body(reader.GetString(2)));
                errors.Add(DeadLetterRedaction.Error(reader.IsDBNull(3) ? null : reader.GetInt32(3)));
            }
        }

        if (ids.Count > 0)
        {
            await using var update = new NpgsqlCommand(
                """
                UPDATE billing_dead_letters AS d
                SET endpoint = u.endpoint, body = u.body, error = u.error, purged_at = now()
                FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[]) AS u(id, endpoint, body, error)
                WHERE d.id = u.id
                """, connection, transaction);
            update.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. ids] });
            update.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. endpoints] });
            update.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. bodies] });
            update.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. errors] });
            await update.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return ids.Count;
    }

    private static DeadLetter Read(NpgsqlDataReader reader) => new(
        Id: reader.GetInt64(0),
        MessageId: reader.GetString(1),
        MessageType: reader.GetString(2),
        Target: ParseTarget(reader.GetString(3)),
        CustomerId: reader.GetString(4),
        Endpoint: reader.GetString(5),
        Body: reader.IsDBNull(12) ? null : reader.GetString(12),
        StatusCode: reader.IsDBNull(6) ? null : reader.GetInt32(6),
        Error: reader.GetString(7),
        CreatedAt: reader.GetFieldValue<DateTimeOffset>(8),
        ReplayedAt: reader.IsDBNull(9) ? null : reader.GetFieldValue<DateTimeOffset>(9),
        ReplayStatusCode: reader.IsDBNull(10) ? null : reader.GetInt32(10),
        PurgedAt: reader.IsDBNull(11) ? null : reader.GetFieldValue<DateTimeOffset>(11));
}
