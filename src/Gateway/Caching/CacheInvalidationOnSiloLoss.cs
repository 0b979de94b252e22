namespace Billing.Gateway.Caching;

/// <summary>
/// A silo that leaves takes its grains' subscriptions with it. Orleans tells a client when its number of gateways
/// (silos) drops; this passes that on to <see cref="SiloDepartures"/>, which the cache listens to. (The cache cannot
/// be the observer itself: the Orleans client is built with its observers, and the cache needs the client.)
/// </summary>
public sealed class CacheInvalidationOnSiloLoss(SiloDepartures departures) : IClusterConnectionStatusObserver
{
    /// <inheritdoc/>
    public void NotifyGatewayCountChanged(int currentNumberOfGateways, int previousNumberOfGateways, bool connectionRecovered)
    {
        if (currentNumberOfGateways < previousNumberOfGateways)
        {
            departures.Signal();
        }
    }

    /// <inheritdoc/>
    public void NotifyClusterConnectionLost() => departures.Signal();
}
