namespace Billing.Grains.Changes;

/// <summary>
/// The door to one silo's <see cref="EntitlementsFeed"/> for gateways: placed on the silo its key names. When that
/// silo is gone the activation lands elsewhere and refuses, so the gateway drops what it knew from that silo.
/// </summary>
[SiloBoundPlacement]
public sealed class EntitlementsFeedGrain(EntitlementsFeed feed) : Grain, IEntitlementsFeedGrain
{
    /// <inheritdoc/>
    public Task<long> SubscribeAsync(IEntitlementsFeedObserver observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        if (this.GetPrimaryKeyString() != feed.Source)
        {
            DeactivateOnIdle();
            throw new EntitlementsFeedGoneException($"the silo of feed {this.GetPrimaryKeyString()} is gone");
        }

        return Task.FromResult(feed.Follow(observer));
    }

    /// <inheritdoc/>
    public Task UnsubscribeAsync(IEntitlementsFeedObserver observer)
    {
        feed.Unfollow(observer);
        return Task.CompletedTask;
    }
}
