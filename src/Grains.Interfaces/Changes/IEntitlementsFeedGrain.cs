using Billing.Grains.Customers;
using Orleans.Concurrency;

namespace Billing.Grains.Changes;

/// <summary>
/// One silo's feed of entitlement changes (key: the silo's feed source, see <see cref="EntitlementsFeedBatch.Source"/>;
/// the grain is placed on that silo). Gateways subscribe to every silo's feed and keep their near-cache by it: the
/// cost follows the change rate, and a customer that does not change costs nothing.
/// </summary>
public interface IEntitlementsFeedGrain : IGrainWithStringKey
{
    /// <summary>
    /// Subscribes <paramref name="observer"/> (again: a subscription lapses after <see cref="SubscriptionLifetime"/>)
    /// and answers where the feed is now. Throws <see cref="EntitlementsFeedGoneException"/> when the silo of this key
    /// is gone: the caller must treat every customer it knew from that silo as unknown.
    /// </summary>
    Task<long> SubscribeAsync(IEntitlementsFeedObserver observer);

    /// <summary>Ends a subscription.</summary>
    Task UnsubscribeAsync(IEntitlementsFeedObserver observer);

    /// <summary>How long a subscription lasts without renewal.</summary>
    static TimeSpan SubscriptionLifetime => TimeSpan.FromMinutes(1);
}

/// <summary>A gateway following a silo's feed.</summary>
public interface IEntitlementsFeedObserver : IGrainObserver
{
    /// <summary>The next batch of changes, or a heartbeat (no changes) saying where the feed is.</summary>
    [OneWay]
    Task OnChangesAsync(EntitlementsFeedBatch batch);
}

/// <summary>
/// Changes of one silo's customers, numbered per silo so a follower notices a lost batch: a batch with changes has the
/// sequence one above the one before it; a heartbeat (no changes) repeats the latest sequence.
/// </summary>
/// <param name="Source">The silo's feed source: its address with its start generation, unique per silo process.</param>
/// <param name="Sequence">The batch's sequence number.</param>
/// <param name="Changes">What changed, oldest first; empty for a heartbeat.</param>
[GenerateSerializer]
[Immutable]
[Alias("billing.EntitlementsFeedBatch")]
public sealed record EntitlementsFeedBatch(
    [property: Id(0)] string Source,
    [property: Id(1)] long Sequence,
    [property: Id(2)] CustomerEntitlements[] Changes,
    [property: Id(3)] string[] Departed);

/// <summary>A customer's entitlements as a cache reads them: with the feed of the silo that holds the customer.</summary>
/// <param name="Entitlements">The entitlements now.</param>
/// <param name="Source">The feed that will carry the customer's next change.</param>
[GenerateSerializer]
[Immutable]
[Alias("billing.CacheRead")]
public sealed record CacheRead([property: Id(0)] CustomerEntitlements Entitlements, [property: Id(1)] string Source);

/// <summary>The silo of a feed is gone (the key named a silo that is no longer in the cluster).</summary>
[GenerateSerializer]
[Alias("billing.EntitlementsFeedGoneException")]
public sealed class EntitlementsFeedGoneException : Exception
{
    /// <summary>Creates the exception.</summary>
    public EntitlementsFeedGoneException() : base("the silo of this entitlements feed is gone")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public EntitlementsFeedGoneException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    public EntitlementsFeedGoneException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
