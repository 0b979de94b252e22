namespace Billing.Grains.Events;

/// <summary>
/// A verified Stripe event, reduced by the gateway to the facts the customer grain uses, so the grain never parses
/// JSON and every API version looks the same to it.
/// </summary>
/// <param name="Id">Stripe's event id (<c>evt_…</c>): the dedupe key.</param>
/// <param name="Type">Stripe's event type, e.g. <c>customer.subscription.updated</c>.</param>
/// <param name="Kind">What the event means to billing.</param>
/// <param name="Created">The event's <c>created</c>, Unix seconds: the ordering key of snapshots.</param>
/// <param name="Subscription">For subscription events: the subscription as the event shows it.</param>
/// <param name="Invoice">For invoice events: what dunning and notifications need.</param>
/// <param name="EntitlementSummary">For entitlement summary events: the active entitlements.</param>
/// <param name="Charge">For refunds and disputes attributed to the customer: the charge.</param>
[GenerateSerializer]
[Immutable]
[Alias("billing.StripeEvent")]
public sealed record StripeEvent(
    [property: Id(0)] string Id,
    [property: Id(1)] string Type,
    [property: Id(2)] StripeEventKind Kind,
    [property: Id(3)] long Created,
    [property: Id(4)] SubscriptionSnapshot? Subscription = null,
    [property: Id(5)] InvoiceFacts? Invoice = null,
    [property: Id(6)] EntitlementSummary? EntitlementSummary = null,
    [property: Id(7)] ChargeFacts? Charge = null);
