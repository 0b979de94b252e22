namespace Billing.Bench.NaiveBaseline;

/// <summary>One row of <c>naive_stripe_events</c>.</summary>
public sealed record StoredEvent(string Id, string Type, string? CustomerId, DateTime Created, string Payload);
