using Billing.StripeSamples;

namespace Billing.Bench.LoadGenerator.Events;

/// <summary>Turns planned events into Stripe webhook bodies with the shared test helper.</summary>
internal static class EventBodies
{
    /// <summary>The JSON body of <paramref name="plannedEvent"/> for <paramref name="customerId"/>.</summary>
    public static string Build(PlannedEvent plannedEvent, string customerId) =>
        plannedEvent.IsSubscription
            ? StripeEventJson.Subscription(customerId, plannedEvent.SubscriptionId!, plannedEvent.Status!, plannedEvent.Created,
                type: plannedEvent.Type, previousStatus: plannedEvent.PreviousStatus, eventId: plannedEvent.EventId,
                priceId: plannedEvent.PriceId!)
            : StripeEventJson.Invoice(customerId, plannedEvent.Type, plannedEvent.Created, plannedEvent.EventId);
}
