using Npgsql;

namespace Billing.Journal.Postgres;

/// <summary>
/// The console's search in PostgreSQL, on the indexes of migration 0011 (event id; the subscription id inside a
/// subscription event's facts). The expressions below must stay exactly those of the index, or the planner scans.
/// </summary>
public sealed class PostgresCustomerLookup(NpgsqlDataSource dataSource) : ICustomerLookup
{
    // The matching rows first (MATERIALIZED: on the expression's index), then the customers in order: with the ORDER BY
    // in the same query, the planner may walk the primary key in customer order and test every row's JSON instead.
    private const string ByEvent = """
        WITH hits AS MATERIALIZED (
            SELECT customer_id FROM billing_journal WHERE event_id = $1 LIMIT 1000
        )
        SELECT DISTINCT customer_id FROM hits ORDER BY customer_id LIMIT $2
        """;

    private const string BySubscription = """
        WITH hits AS MATERIALIZED (
            SELECT customer_id FROM billing_journal WHERE (facts -> 'event' -> 'subscription' ->> 'id') = $1 LIMIT 1000
        )
        SELECT DISTINCT customer_id FROM hits ORDER BY customer_id LIMIT $2
        """;

    /// <inheritdoc/>
    public Task<IReadOnlyList<string>> FindByEventAsync(string eventId, int limit, CancellationToken cancellationToken = default) =>
        QueryAsync(ByEvent, eventId, limit, cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<string>> FindBySubscriptionAsync(string subscriptionId, int limit, CancellationToken cancellationToken = default) =>
        QueryAsync(BySubscription, subscriptionId, limit, cancellationToken);

    private async Task<IReadOnlyList<string>> QueryAsync(string sql, string id, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = id });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        var customers = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            customers.Add(reader.GetString(0));
        }

        return customers;
    }
}
