using Orleans.Concurrency;

namespace Billing.Grains.Journal;

/// <summary>
/// Finds customers by the Stripe ids an operator holds that are not customer ids (events, subscriptions), from the
/// journal on the silos. A stateless worker: a search never wakes a customer grain.
/// </summary>
public interface ICustomerLookupGrain : IGrainWithIntegerKey
{
    /// <summary>The most customers one search returns.</summary>
    const int MaxResults = 20;

    /// <summary>Customers whose journal holds the event <paramref name="eventId"/> (at most <see cref="MaxResults"/>).</summary>
    [ReadOnly]
    Task<string[]> FindByEventAsync(string eventId);

    /// <summary>Customers whose journal holds an event about the subscription <paramref name="subscriptionId"/> (at most <see cref="MaxResults"/>).</summary>
    [ReadOnly]
    Task<string[]> FindBySubscriptionAsync(string subscriptionId);
}
