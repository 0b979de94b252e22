using System.Collections.Immutable;
using Billing.Grains.Customers;

namespace Billing.Grains.Entitlements;

/// <summary>What a customer's state entitles them to at one moment.</summary>
/// <param name="Access">The access state.</param>
/// <param name="Features">Sorted, distinct features; empty when suspended.</param>
/// <param name="GraceEndsAt">While in grace: when access becomes suspended unless a payment arrives.</param>
public sealed record EntitlementDecision(AccessState Access, ImmutableArray<string> Features, DateTimeOffset? GraceEndsAt);
