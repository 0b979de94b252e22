using System.Collections.Immutable;

namespace Billing.Grains.Recovery;

/// <summary>One side of a drift: subscription ids and statuses, access, and active entitlements where known.</summary>
/// <param name="Subscriptions">Each subscription's status, by id (only those that differ or matter).</param>
/// <param name="Access">The access this side grants (<c>NONE</c>, <c>ACTIVE</c>, …), as far as it can tell.</param>
/// <param name="Entitlements">Active entitlement lookup keys, where they were compared.</param>
[GenerateSerializer]
[Immutable]
[Alias("billing.DriftSide")]
public sealed record DriftSide(
    [property: Id(0)] ImmutableSortedDictionary<string, string> Subscriptions,
    [property: Id(1)] string Access,
    [property: Id(2)] ImmutableArray<string>? Entitlements = null);

/// <summary>A customer whose state differed from Stripe's objects.</summary>
[GenerateSerializer]
[Immutable]
[Alias("billing.DriftRecord")]
public sealed record DriftRecord(
    [property: Id(0)] string CustomerId,
    [property: Id(1)] DateTimeOffset DetectedAt,
    [property: Id(2)] DriftSide Billing,
    [property: Id(3)] DriftSide Stripe,
    [property: Id(4)] bool Repaired);

/// <summary>The latest reconciliation and the drifts of the last 7 days (<c>GET /admin/drift</c>).</summary>
[GenerateSerializer]
[Immutable]
[Alias("billing.DriftReport")]
public sealed record DriftReport(
    [property: Id(0)] DateTimeOffset? CheckedAt,
    [property: Id(1)] long CustomersChecked,
    [property: Id(2)] ImmutableArray<DriftRecord> Drifts);
