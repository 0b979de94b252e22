using System.Collections.Immutable;
using Npgsql;

namespace Billing.Grains.Anomalies.Store;

/// <summary>Anomalies in PostgreSQL (migration <c>0010_billing_anomalies</c>).</summary>
public sealed class PostgresAnomalyStore(NpgsqlDataSource dataSource) : AnomalyStore
{
    private const string Columns = "id, kind, scope, detected_at, window_start, window_seconds, observed, expected, p_value, test, " +
                                   "card_testing, sample_event_ids, state, acknowledged_at, resolved_at, resolved_by, delivered_at";

    /// <inheritdoc/>
    public override async Task<bool> AddAsync(Anomaly anomaly, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(anomaly);
        await using var command = dataSource.CreateCommand(
            $"""
            INSERT INTO billing_anomalies ({Columns})
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
            ON CONFLICT (id) DO NOTHING
            """);
        var parameters = command.Parameters;
        parameters.Add(new NpgsqlParameter<string> { TypedValue = anomaly.Id });
        parameters.Add(new NpgsqlParameter<string> { TypedValue = anomaly.Kind });
        parameters.Add(new NpgsqlParameter<string> { TypedValue = anomaly.Scope });
        parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = anomaly.DetectedAt });
        parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = anomaly.WindowStart });
        parameters.Add(new NpgsqlParameter<int> { TypedValue = (int)anomaly.Window.TotalSeconds });
        parameters.Add(new NpgsqlParameter<double> { TypedValue = anomaly.Observed });
        parameters.Add(new NpgsqlParameter<double> { TypedValue = anomaly.Expected });
        parameters.Add(new NpgsqlParameter<double> { TypedValue = anomaly.PValue });
        parameters.Add(new NpgsqlParameter<string> { TypedValue = anomaly.Test });
        parameters.Add(new NpgsqlParameter<bool> { TypedValue = anomaly.CardTesting });
        parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. anomaly.SampleEventIds] });
        parameters.Add(new NpgsqlParameter<string> { TypedValue = AnomalyStateNames.NameOf(anomaly.State) });
        parameters.Add(Nullable(anomaly.AcknowledgedAt));
        parameters.Add(Nullable(anomaly.ResolvedAt));
        parameters.Add(new NpgsqlParameter { Value = (object?)anomaly.ResolvedBy ?? DBNull.Value });
        parameters.Add(Nullable(anomaly.DeliveredAt));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <inheritdoc/>
    public override async Task<Anomaly?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM billing_anomalies WHERE id = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = id });
        return (await ReadAllAsync(command, cancellationToken)).FirstOrDefault();
    }

    /// <inheritdoc/>
    public override async Task<ImmutableArray<Anomaly>> ListAsync(int limit, AnomalyState? state, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT {Columns} FROM billing_anomalies WHERE ($1::text IS NULL OR state = $1) ORDER BY detected_at DESC, id DESC LIMIT $2");
        command.Parameters.Add(new NpgsqlParameter { Value = state is { } wanted ? AnomalyStateNames.NameOf(wanted) : DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = Math.Clamp(limit, 1, MaxLimit) });
        return await ReadAllAsync(command, cancellationToken);
    }

    /// <inheritdoc/>
    public override async Task<ImmutableArray<Anomaly>> ListPendingAsync(string scope, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT {Columns} FROM billing_anomalies WHERE scope = $1 AND (state <> 'resolved' OR delivered_at IS NULL) ORDER BY detected_at");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = scope });
        return await ReadAllAsync(command, cancellationToken);
    }

    /// <inheritdoc/>
    public override async Task<Anomaly?> TransitionAsync(string id, AnomalyState state, DateTimeOffset at, string? resolvedBy,
        CancellationToken cancellationToken = default)
    {
        // Read, move on in memory, write only if the row is still what was read: two operators clicking at once end
        // with one of their moves, never with a resolved anomaly acknowledged again.
        while (await GetAsync(id, cancellationToken) is { } current)
        {
            var next = Moved(current, state, at, resolvedBy);
            if (ReferenceEquals(next, current))
            {
                return current;
            }

            await using var command = dataSource.CreateCommand(
                """
                UPDATE billing_anomalies SET state = $2, acknowledged_at = $3, resolved_at = $4, resolved_by = $5
                WHERE id = $1 AND state = $6
                """);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = id });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = AnomalyStateNames.NameOf(next.State) });
            command.Parameters.Add(Nullable(next.AcknowledgedAt));
            command.Parameters.Add(Nullable(next.ResolvedAt));
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)next.ResolvedBy ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = AnomalyStateNames.NameOf(current.State) });
            if (await command.ExecuteNonQueryAsync(cancellationToken) == 1)
            {
                return next;
            }
        }

        return null;
    }

    /// <inheritdoc/>
    public override async Task MarkDeliveredAsync(string id, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("UPDATE billing_anomalies SET delivered_at = $2 WHERE id = $1 AND delivered_at IS NULL");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = id });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = at });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<ImmutableArray<Anomaly>> ReadAllAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var anomalies = ImmutableArray.CreateBuilder<Anomaly>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            anomalies.Add(new Anomaly(
                Id: reader.GetString(0),
                Kind: reader.GetString(1),
                Scope: reader.GetString(2),
                DetectedAt: reader.GetFieldValue<DateTimeOffset>(3),
                WindowStart: reader.GetFieldValue<DateTimeOffset>(4),
                Window: TimeSpan.FromSeconds(reader.GetInt32(5)),
                Observed: reader.GetDouble(6),
                Expected: reader.GetDouble(7),
                PValue: reader.GetDouble(8),
                Test: reader.GetString(9),
                CardTesting: reader.GetBoolean(10),
                SampleEventIds: [.. reader.GetFieldValue<string[]>(11)],
                State: AnomalyStateNames.Parse(reader.GetString(12)) ?? AnomalyState.Resolved,
                AcknowledgedAt: reader.IsDBNull(13) ? null : reader.GetFieldValue<DateTimeOffset>(13),
                ResolvedAt: reader.IsDBNull(14) ? null : reader.GetFieldValue<DateTimeOffset>(14),
                ResolvedBy: reader.IsDBNull(15) ? null : reader.GetString(15),
                DeliveredAt: reader.IsDBNull(16) ? null : reader.GetFieldValue<DateTimeOffset>(16)));
        }

        return anomalies.ToImmutable();
    }

    private static NpgsqlParameter Nullable(DateTimeOffset? value) =>
        new() { Value = value is { } set ? set : DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz };
}
