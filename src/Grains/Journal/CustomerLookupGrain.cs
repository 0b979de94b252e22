using Billing.Journal;
using Orleans.Concurrency;

namespace Billing.Grains.Journal;

/// <summary>Finds customers by event or subscription id through the silo's <see cref="ICustomerLookup"/>.</summary>
[StatelessWorker]
public sealed class CustomerLookupGrain(ICustomerLookup lookup) : Grain, ICustomerLookupGrain
{
    /// <inheritdoc/>
    public async Task<string[]> FindByEventAsync(string eventId) =>
        [.. await lookup.FindByEventAsync(eventId, ICustomerLookupGrain.MaxResults)];

    /// <inheritdoc/>
    public async Task<string[]> FindBySubscriptionAsync(string subscriptionId) =>
        [.. await lookup.FindBySubscriptionAsync(subscriptionId, ICustomerLookupGrain.MaxResults)];
}
