namespace Billing.Grains.Fanout;

/// <summary>
/// Fulfillment's message: a customer's entitlements changed. One per version; <see cref="Id"/> is
/// <c>{customer}:{version}</c>, stable across redeliveries, so receivers apply it once.
/// </summary>
[GenerateSerializer]
[Immutable]
[Alias("billing.EntitlementsChanged")]
public sealed record EntitlementsChanged(
    [property: Id(0)] string Id,
    [property: Id(1)] string CustomerId,
    [property: Id(2)] long Created,
    [property: Id(3)] EntitlementsSnapshot Current,
    [property: Id(4)] EntitlementsSnapshot Previous) : IFanoutMessage;
