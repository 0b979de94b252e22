using System.Text.Json;

namespace Billing.Journal.InMemory;

/// <summary>
/// The console's search over a journal in memory (development, benchmarks): a scan through the store's own reads,
/// which is fine at the sizes memory holds and keeps the store itself free of an index only the console uses.
/// </summary>
public sealed class InMemoryCustomerLookup(IJournalStore journal) : ICustomerLookup
{
    private const int CustomersPerPage = 500;

    /// <inheritdoc/>
    public Task<IReadOnlyList<string>> FindByEventAsync(string eventId, int limit, CancellationToken cancellationToken = default) =>
        FindAsync(limit, async customer => await journal.FindEntryAsync(customer, eventId, cancellationToken) is not null, cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<string>> FindBySubscriptionAsync(string subscriptionId, int limit, CancellationToken cancellationToken = default) =>
        FindAsync(limit, async customer =>
        {
            var entries = await journal.ReadAsync(customer, 0, long.MaxValue, int.MaxValue, withFacts: true, cancellationToken);
            return entries.Any(entry => SubscriptionOf(entry.Facts) == subscriptionId);
        }, cancellationToken);

    private async Task<IReadOnlyList<string>> FindAsync(int limit, Func<string, Task<bool>> matches, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var found = new List<string>();
        string? after = null;
        while (found.Count < limit)
        {
            var customers = await journal.ListCustomersAsync(after, CustomersPerPage, cancellationToken);
            foreach (var customer in customers)
            {
                if (found.Count < limit && await matches(customer))
                {
                    found.Add(customer);
                }
            }

            if (customers.Count < CustomersPerPage)
            {
                break;
            }

            after = customers[^1];
        }

        return found;
    }

    // The same path as PostgreSQL's index expression: facts -> 'event' -> 'subscription' ->> 'id'.
    private static string? SubscriptionOf(string facts)
    {
        if (string.IsNullOrEmpty(facts))
        {
            return null;
        }

        using var document = JsonDocument.Parse(facts);
        return document.RootElement.TryGetProperty("event", out var stripeEvent) && stripeEvent.ValueKind == JsonValueKind.Object
            && stripeEvent.TryGetProperty("subscription", out var subscription) && subscription.ValueKind == JsonValueKind.Object
            && subscription.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String
                ? id.GetString()
                : null;
    }
}
