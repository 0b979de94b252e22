using System.Collections.Immutable;

namespace Billing.Grains.Customers;

/// <summary>What <see cref="ICustomerGrain.ApplyAllAsync"/> did: one status per event, and the entitlements after them.</summary>
/// <param name="Statuses">The status of each event, in the order given.</param>
/// <param name="Entitlements">The customer's entitlements once every event is stored.</param>
[GenerateSerializer]
[Immutable]
[Alias("billing.ApplyResult")]
public sealed record ApplyResult(
    [property: Id(0)] ImmutableArray<ApplyStatus> Statuses,
    [property: Id(1)] CustomerEntitlements Entitlements);
