using Billing.Grains.Events;

namespace Billing.Grains.Customers;

/// <summary>
/// What a journal entry's fold reads (stored as the entry's <c>facts</c>): everything that is not the entry's own
/// columns, so that folding the journal again gives the same state without asking anyone.
/// </summary>
/// <param name="Event">A Stripe event's facts (ids, statuses, prices, amounts); none for timer transitions.</param>
/// <param name="StripeStatus">The subscription's status as Stripe's API reported it, when it was asked to settle a same-second tie.</param>
/// <param name="State">Only for the entry that carried a customer over from an earlier version's state row: that state.</param>
/// <param name="Outbox">With <paramref name="State"/>: what that row's outbox still had to deliver.</param>
public sealed record EventFacts(StripeEvent? Event = null, string? StripeStatus = null, CustomerState? State = null,
    CarriedOverOutbox? Outbox = null);
