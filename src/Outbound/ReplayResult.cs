namespace Billing.Outbound;

/// <summary>The answer to one replay of a dead letter.</summary>
/// <param name="DeadLetterId">The dead letter replayed.</param>
/// <param name="Status">What happened.</param>
/// <param name="StatusCode">The endpoint's answer, when it gave one.</param>
/// <param name="Error">Why it did not deliver; null when it did.</param>
/// <param name="ReplayedAt">When the dead letter was marked replayed; null unless delivered.</param>
public sealed record ReplayResult(long DeadLetterId, ReplayStatus Status, int? StatusCode, string? Error, DateTimeOffset? ReplayedAt);
