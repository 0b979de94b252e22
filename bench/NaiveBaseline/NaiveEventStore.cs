using Npgsql;
using NpgsqlTypes;

namespace Billing.Bench.NaiveBaseline;

/// <summary>One table, one row per event id: the whole persistence of the naive baseline.</summary>
public sealed class NaiveEventStore(NpgsqlDataSource dataSource)
{
    /// <summary>Creates the table when it is missing (the baseline needs no migration tool).</summary>
    public async Task CreateTableAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            CREATE TABLE IF NOT EXISTS naive_stripe_events (
                id          text PRIMARY KEY,
                type        text NOT NULL,
                customer_id text,
                created     timestamptz NOT NULL,
                payload     jsonb NOT NULL,
                received_at timestamptz NOT NULL DEFAULT now())
            """);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Stores the event unless its id is already stored; true when it was new.</summary>
    public async Task<bool> InsertAsync(StoredEvent stripeEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stripeEvent);
        await using var command = dataSource.CreateCommand("""
            INSERT INTO naive_stripe_events (id, type, customer_id, created, payload)
            VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (id) DO NOTHING
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = stripeEvent.Id });
        command.Parameters.Add(new NpgsqlParameter { Value = stripeEvent.Type });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)stripeEvent.CustomerId ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter { Value = stripeEvent.Created });
        command.Parameters.Add(new NpgsqlParameter { Value = stripeEvent.Payload, NpgsqlDbType = NpgsqlDbType.Jsonb });
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>How many distinct events are stored (the load generator's consistency check).</summary>
    public async Task<long> CountAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT count(*) FROM naive_stripe_events");
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
