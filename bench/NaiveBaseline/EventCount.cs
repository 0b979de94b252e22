namespace Billing.Bench.NaiveBaseline;

/// <summary>The answer of <c>GET /events/count</c>.</summary>
public sealed record EventCount(long Count);
