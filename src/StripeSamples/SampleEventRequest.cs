namespace Billing.StripeSamples;

/// <summary>What a sample event should say; everything but the type and customer has a realistic default.</summary>
/// <param name="Type">The Stripe event type (one of <see cref="SampleEvents.Types"/>).</param>
/// <param name="CustomerId">The customer (<c>cus_…</c>) the event is about.</param>
/// <param name="Created">The event's <c>created</c> (Unix seconds); its objects' times are set around it.</param>
/// <param name="Status">Subscription events: the subscription's status (default by type: <c>active</c>,
/// <c>trialing</c> for <c>trial_will_end</c>, <c>canceled</c> for <c>deleted</c>).</param>
/// <param name="PreviousStatus"><c>customer.subscription.updated</c>: the status before, in <c>previous_attributes</c>.</param>
/// <param name="PriceId">The subscription item's price (default <c>price_pro</c>).</param>
/// <param name="Features">Subscription events: the price's <c>metadata.features</c>; the entitlement summary: its
/// features' lookup keys.</param>
/// <param name="Account">The connected account (<c>acct_…</c>) the event comes from; null: the platform.</param>
/// <param name="SubscriptionId">The subscription (default derived from the customer, so created, updated and
/// deleted samples of one customer are about one subscription).</param>
/// <param name="Amount">Invoices and charges: the amount in the currency's minor unit (default 2000).</param>
/// <param name="EventId">The event id; null: a fresh one.</param>
public sealed record SampleEventRequest(
    string Type,
    string CustomerId,
    long Created,
    string? Status = null,
    string? PreviousStatus = null,
    string? PriceId = null,
    IReadOnlyList<string>? Features = null,
    string? Account = null,
    string? SubscriptionId = null,
    long? Amount = null,
    string? EventId = null);
