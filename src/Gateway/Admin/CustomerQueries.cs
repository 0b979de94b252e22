using Billing.Grains.Customers;
using Billing.Grains.Journal;

namespace Billing.Gateway.Admin;

/// <summary>One customer as operators read it (<c>/admin/customers</c> and the console): now, and its history.</summary>
public sealed class CustomerQueries(IClusterClient cluster)
{
    /// <summary>Entitlements and subscriptions now; a customer never seen is <c>NONE</c>, version 0.</summary>
    public async Task<CustomerView> GetAsync(string customerId) =>
        CustomerView.From(await cluster.GetGrain<ICustomerGrain>(customerId).GetOverviewAsync());

    /// <summary>Up to <paramref name="pageSize"/> history entries after journal version <paramref name="afterVersion"/>, oldest first.</summary>
    public Task<HistoryPage> ListHistoryAsync(string customerId, long afterVersion, int pageSize) =>
        cluster.GetHistory().ListAsync(customerId, afterVersion, pageSize);

    /// <summary>Customers whose journal holds the event (indexed; at most <see cref="ICustomerLookupGrain.MaxResults"/>).</summary>
    public Task<string[]> FindByEventAsync(string eventId) => cluster.GetGrain<ICustomerLookupGrain>(0).FindByEventAsync(eventId);

    /// <summary>Customers whose journal holds an event about the subscription (indexed; at most <see cref="ICustomerLookupGrain.MaxResults"/>).</summary>
    public Task<string[]> FindBySubscriptionAsync(string subscriptionId) =>
        cluster.GetGrain<ICustomerLookupGrain>(0).FindBySubscriptionAsync(subscriptionId);
}
