using Billing.Gateway.Caching;

namespace Billing.Gateway.Tests.Grpc;

/// <summary>What the Orleans client reports about its gateways decides when the near-cache stops trusting itself.</summary>
public sealed class CacheInvalidationOnSiloLossTests
{
    [Fact]
    public void A_silo_leaving_or_the_cluster_connection_lost_signals_a_departure_and_a_silo_joining_does_not()
    {
        var departures = new SiloDepartures();
        var signals = 0;
        departures.Departed += () => signals++;
        var observer = new CacheInvalidationOnSiloLoss(departures);

        observer.NotifyGatewayCountChanged(currentNumberOfGateways: 3, previousNumberOfGateways: 2, connectionRecovered: false);
        Assert.Equal(0, signals);

        observer.NotifyGatewayCountChanged(currentNumberOfGateways: 2, previousNumberOfGateways: 3, connectionRecovered: false);
        Assert.Equal(1, signals);

        observer.NotifyClusterConnectionLost();
        Assert.Equal(2, signals);
    }
}
