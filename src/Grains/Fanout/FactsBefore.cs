using Billing.Grains.Customers;
using Billing.Grains.Events;

namespace Billing.Grains.Fanout;

/// <summary>What a notification decision needs to know about the state before an event was applied.</summary>
public sealed record FactsBefore(bool InDunning, bool SubscriptionFinal)
{
    /// <summary>Captures the facts of <paramref name="state"/> that <paramref name="stripeEvent"/> may change.</summary>
    public FactsBefore(CustomerState state, StripeEvent stripeEvent)
        : this(
            state?.Dunning.FailuresSinceLastPayment.Count > 0,
            stripeEvent?.Subscription is { } snapshot && state!.Subscriptions.TryGetValue(snapshot.Id, out var record) && record.Final)
    {
    }
}
