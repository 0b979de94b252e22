using Billing.Grains.Events;

namespace Billing.StripeEvents;

/// <summary>What a verified webhook body turned out to be.</summary>
/// <param name="EventId">The event id, when the body is an event.</param>
/// <param name="Livemode">The event's <c>livemode</c>.</param>
/// <param name="CustomerKey">The customer the event belongs to (<c>acct_…/cus_…</c> for Connect), if any.</param>
/// <param name="Event">The facts for the customer grain; null when the type is one the product does not use.</param>
/// <param name="Error">Why the body is not a Stripe event; null when it is.</param>
/// <param name="Type">The event's type, whether or not the product uses it.</param>
public sealed record EnvelopeReadResult(
    string? EventId,
    bool Livemode,
    string? CustomerKey,
    StripeEvent? Event,
    string? Error,
    string? Type = null)
{
    /// <summary>A body that is not a Stripe event.</summary>
    public static EnvelopeReadResult Invalid(string error) => new(null, false, null, null, error);
}
