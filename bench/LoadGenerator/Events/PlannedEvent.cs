namespace Billing.Bench.LoadGenerator.Events;

/// <summary>
/// One Stripe event of a generated lifecycle: what the body says and what the final state must reflect.
/// Subscription events carry a subscription; invoice events do not (they only move dunning).
/// </summary>
/// <param name="EventId">The Stripe event id; duplicates reuse it.</param>
/// <param name="Customer">The customer's index (its id is the prefix and this index).</param>
/// <param name="Type">The Stripe event type.</param>
/// <param name="Created">The event's <c>created</c>: strictly increasing per customer, so the order is unambiguous.</param>
/// <param name="SubscriptionId">The subscription of a <c>customer.subscription.*</c> event.</param>
/// <param name="Status">The subscription's status in this snapshot.</param>
/// <param name="PreviousStatus">The status before, when this snapshot changed it.</param>
/// <param name="PriceId">The price the subscription's one item bills.</param>
internal sealed record PlannedEvent(
    string EventId,
    int Customer,
    string Type,
    long Created,
    string? SubscriptionId = null,
    string? Status = null,
    string? PreviousStatus = null,
    string? PriceId = null)
{
    /// <summary>Whether this event is a subscription snapshot.</summary>
    public bool IsSubscription => SubscriptionId is not null;
}
