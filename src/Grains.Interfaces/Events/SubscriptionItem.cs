using System.Collections.Immutable;

namespace Billing.Grains.Events;

/// <summary>One item of a subscription: the price (or, in old API versions, plan) it bills.</summary>
/// <param name="PriceId">The price (or plan) id.</param>
/// <param name="LookupKey">The price's <c>lookup_key</c>, when it has one.</param>
/// <param name="ProductId">The product id (also when the product was expanded).</param>
/// <param name="MetadataFeatures">The comma-separated <c>features</c> entry of the price's metadata, split.</param>
[GenerateSerializer]
[Immutable]
[Alias("billing.SubscriptionItem")]
public sealed record SubscriptionItem(
    [property: Id(0)] string? PriceId,
    [property: Id(1)] string? LookupKey,
    [property: Id(2)] string? ProductId,
    [property: Id(3)] ImmutableArray<string> MetadataFeatures);
