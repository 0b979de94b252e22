using System.Collections.Immutable;

namespace Billing.Grains.Customers;

/// <summary>What a customer may use right now.</summary>
/// <param name="CustomerId">The customer key.</param>
/// <param name="Access">The access state.</param>
/// <param name="Features">Sorted, distinct feature names; empty when suspended.</param>
/// <param name="Version">Grows by one with every change of access or features; 0 for a customer never seen.</param>
/// <param name="UpdatedAt">When access or features last changed.</param>
[GenerateSerializer]
[Immutable]
[Alias("billing.CustomerEntitlements")]
public sealed record CustomerEntitlements(
    [property: Id(0)] string CustomerId,
    [property: Id(1)] AccessState Access,
    [property: Id(2)] ImmutableArray<string> Features,
    [property: Id(3)] long Version,
    [property: Id(4)] DateTimeOffset UpdatedAt)
{
    /// <summary>
    /// Whether the customer may use <paramref name="feature"/> now. Features are empty while suspended, so the
    /// feature list alone decides.
    /// </summary>
    public bool Allows(string feature) => Features.Contains(feature, StringComparer.Ordinal);
}
