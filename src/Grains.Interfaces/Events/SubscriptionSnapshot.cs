using System.Collections.Immutable;

namespace Billing.Grains.Events;

/// <summary>A subscription as one event shows it.</summary>
/// <param name="Id">The subscription id (<c>sub_…</c>).</param>
/// <param name="Status">Stripe's status: <c>active</c>, <c>trialing</c>, <c>past_due</c>, …</param>
/// <param name="PreviousStatus"><c>data.previous_attributes.status</c>, when the event changed the status.</param>
/// <param name="Items">The priced items: where features come from.</param>
/// <param name="TrialEnd">The end of the trial (Unix seconds), when there is one.</param>
/// <param name="CancelAtPeriodEnd"><c>cancel_at_period_end</c>: the subscription ends with its current period.</param>
/// <param name="CancelAt"><c>cancel_at</c> (Unix seconds): a cancellation scheduled for that instant.</param>
/// <param name="HasPaymentMethod">
/// Whether a payment method would pay its next invoice: the subscription's <c>default_payment_method</c> or
/// <c>default_source</c>, or (when the event expanded the customer) the customer's; null when the payload does not say
/// (API versions without those fields).
/// </param>
/// <param name="Downgraded">
/// The event's <c>previous_attributes</c> show a higher quantity, or prices that added up to a higher amount, than now.
/// </param>
[GenerateSerializer]
[Immutable]
[Alias("billing.SubscriptionSnapshot")]
public sealed record SubscriptionSnapshot(
    [property: Id(0)] string Id,
    [property: Id(1)] string Status,
    [property: Id(2)] string? PreviousStatus,
    [property: Id(3)] ImmutableArray<SubscriptionItem> Items,
    [property: Id(4)] long? TrialEnd = null,
    [property: Id(5)] bool CancelAtPeriodEnd = false,
    [property: Id(6)] long? CancelAt = null,
    [property: Id(7)] bool? HasPaymentMethod = null,
    [property: Id(8)] bool Downgraded = false);
