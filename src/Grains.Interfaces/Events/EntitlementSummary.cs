using System.Collections.Immutable;

namespace Billing.Grains.Events;

/// <summary>Stripe Entitlements' active entitlement summary of a customer: replaces the previous one.</summary>
/// <param name="LookupKeys">The <c>lookup_key</c> of every active entitlement.</param>
[GenerateSerializer]
[Immutable]
[Alias("billing.EntitlementSummary")]
public sealed record EntitlementSummary([property: Id(0)] ImmutableArray<string> LookupKeys);
