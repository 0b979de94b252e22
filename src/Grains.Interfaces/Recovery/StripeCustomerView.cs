using System.Collections.Immutable;
using Billing.Grains.Events;

namespace Billing.Grains.Recovery;

/// <summary>
/// One customer as Stripe's API showed it (import, reconciliation): every subscription read, and the active
/// entitlements where they were read. Applied as snapshots dated <see cref="FetchedAt"/>, under the fold's ordering
/// rules, so it never overrides an event Stripe created after it was fetched.
/// </summary>
/// <param name="JobId">The job that read it: the snapshot entries' event ids derive from it, so a job resumed after a
/// crash applies each snapshot once.</param>
/// <param name="FetchedAt">When it was read (Unix seconds): the snapshots' ordering key.</param>
/// <param name="Subscriptions">Each subscription, as a snapshot.</param>
/// <param name="Entitlements">The active entitlements' lookup keys; null when they were not read.</param>
/// <param name="Complete">Whether <see cref="Subscriptions"/> holds every subscription of the customer (a full sweep), so
/// that one billing knows and Stripe does not list is gone.</param>
[GenerateSerializer]
[Immutable]
[Alias("billing.StripeCustomerView")]
public sealed record StripeCustomerView(
    [property: Id(0)] string JobId,
    [property: Id(1)] long FetchedAt,
    [property: Id(2)] ImmutableArray<SubscriptionSnapshot> Subscriptions,
    [property: Id(3)] ImmutableArray<string>? Entitlements,
    [property: Id(4)] bool Complete);

/// <summary>What comparing a customer with <see cref="StripeCustomerView"/> found.</summary>
/// <param name="Drift">The difference; null when there is none.</param>
/// <param name="Applied">Entries journaled (an import or a repair).</param>
[GenerateSerializer]
[Immutable]
[Alias("billing.ReconcileOutcome")]
public sealed record ReconcileOutcome(
    [property: Id(0)] DriftRecord? Drift,
    [property: Id(1)] int Applied);
