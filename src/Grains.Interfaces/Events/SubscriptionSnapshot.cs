using System.Collections.Immutable;

namespace Billing.Grains.Events;

/// <summary>A subscription as one event shows it.</summary>
/// <param name="Id">The subscription id (<c>sub_…</c>).</param>
/// <param name="Status">Stripe's status: <c>active</c>, <c>trialing</c>, <c>past_due</c>, …</param>
/// <param name="PreviousStatus"><c>data.previous_attributes.status</c>, when the event changed the status.</param>
/// <param name="Items">The priced items: where features come from.</param>
/// <param name="TrialEnd">The end of the trial (Unix seconds), when there is one.</param>
[GenerateSerializer]
[Immutable]
[Alias("billing.SubscriptionSnapshot")]
public sealed record SubscriptionSnapshot(
    [property: Id(0)] string Id,
    [property: Id(1)] string Status,
    [property: Id(2)] string? PreviousStatus,
    [property: Id(3)] ImmutableArray<SubscriptionItem> Items,
    [property: Id(4)] long? TrialEnd = null);
