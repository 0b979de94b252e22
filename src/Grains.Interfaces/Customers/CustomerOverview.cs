using System.Collections.Immutable;

namespace Billing.Grains.Customers;

/// <summary>What an operator sees of a customer: entitlements, and the subscriptions they come from.</summary>
/// <param name="Entitlements">What the customer may use now.</param>
/// <param name="Subscriptions">Each subscription at its latest snapshot, by id.</param>
/// <param name="Risk">The heuristic churn-risk assessment now (none from grains of an earlier version).</param>
[GenerateSerializer]
[Immutable]
[Alias("billing.CustomerOverview")]
public sealed record CustomerOverview(
    [property: Id(0)] CustomerEntitlements Entitlements,
    [property: Id(1)] ImmutableArray<SubscriptionSummary> Subscriptions,
    [property: Id(2)] Risk.RiskAssessment? Risk = null);
