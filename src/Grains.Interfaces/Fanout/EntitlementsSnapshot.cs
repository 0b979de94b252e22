using System.Collections.Immutable;
using Billing.Grains.Customers;

namespace Billing.Grains.Fanout;

/// <summary>A customer's access and features at one version.</summary>
[GenerateSerializer]
[Immutable]
[Alias("billing.EntitlementsSnapshot")]
public sealed record EntitlementsSnapshot(
    [property: Id(0)] AccessState Access,
    [property: Id(1)] ImmutableArray<string> Features,
    [property: Id(2)] long Version);
