namespace Billing.Bench.LoadGenerator.Events;

/// <summary>One POST the load sends: an event, for the first time or again.</summary>
/// <param name="Event">The event.</param>
/// <param name="Duplicate">A repeated delivery of an event already sent (Stripe delivers at least once).</param>
/// <param name="OutOfOrder">Sent after a newer event of the same customer.</param>
internal readonly record struct Delivery(PlannedEvent Event, bool Duplicate, bool OutOfOrder);
