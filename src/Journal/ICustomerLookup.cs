namespace Billing.Journal;

/// <summary>
/// Which customers a Stripe id belongs to, from the journal: what the operator console's search needs for ids that are
/// not customer ids. Indexed lookups (migration 0011), bounded answers.
/// </summary>
public interface ICustomerLookup
{
    /// <summary>Up to <paramref name="limit"/> customers whose journal holds the event <paramref name="eventId"/>.</summary>
    Task<IReadOnlyList<string>> FindByEventAsync(string eventId, int limit, CancellationToken cancellationToken = default);

    /// <summary>Up to <paramref name="limit"/> customers whose journal holds an event about the subscription <paramref name="subscriptionId"/>.</summary>
    Task<IReadOnlyList<string>> FindBySubscriptionAsync(string subscriptionId, int limit, CancellationToken cancellationToken = default);
}
