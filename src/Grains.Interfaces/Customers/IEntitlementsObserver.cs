namespace Billing.Grains.Customers;

/// <summary>Told of every change of a customer's entitlements (the gateway's WatchEntitlements streams).</summary>
public interface IEntitlementsObserver : IGrainObserver
{
    /// <summary>The customer's entitlements changed to <paramref name="entitlements"/>.</summary>
    Task OnEntitlementsChangedAsync(CustomerEntitlements entitlements);
}
