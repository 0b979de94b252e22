using System.Collections.Immutable;

namespace Billing.Grains.Risk;

/// <summary>A page of the at-risk list: highest score first, then most recent change.</summary>
/// <param name="Customers">The page.</param>
/// <param name="NextCursor">Where the next page starts; empty on the last page.</param>
[GenerateSerializer]
[Immutable]
[Alias("billing.AtRiskPage")]
public sealed record AtRiskPage(
    [property: Id(0)] ImmutableArray<AtRiskCustomer> Customers,
    [property: Id(1)] string NextCursor);
