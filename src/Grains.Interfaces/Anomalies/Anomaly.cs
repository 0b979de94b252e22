using System.Collections.Immutable;

namespace Billing.Grains.Anomalies;

/// <summary>
/// A surge detected in one account's event flow, with the evidence an operator needs to judge it. Carries ids, counts
/// and times only: no customer names, emails or card data.
/// </summary>
/// <param name="Id">Stable for the same surge (<c>anm_…</c>): detecting it again after a restart stores nothing new.</param>
/// <param name="Kind"><c>payment_failures</c>, <c>refunds</c> or <c>disputes</c>.</param>
/// <param name="Scope">The Connect account (<c>acct_…</c>) or <c>platform</c>.</param>
/// <param name="DetectedAt">When the detector paged.</param>
/// <param name="WindowStart">The start of the window the test looked at.</param>
/// <param name="Window">The window's length.</param>
/// <param name="Observed">What the window held (a count, or a failure rate for rate tests).</param>
/// <param name="Expected">What the baseline expected for the same window.</param>
/// <param name="PValue">How unlikely the observation is under the baseline.</param>
/// <param name="Test"><c>count</c>, <c>rate</c> or <c>ratio</c>: which test paged.</param>
/// <param name="CardTesting">Whether the failures look like card testing (setup intents, tiny amounts, card-number or CVC declines).</param>
/// <param name="SampleEventIds">A few of the Stripe events in the window, to start the investigation from.</param>
/// <param name="State">Open, acknowledged or resolved.</param>
/// <param name="AcknowledgedAt">When an operator acknowledged it.</param>
/// <param name="ResolvedAt">When it was resolved.</param>
/// <param name="ResolvedBy"><c>operator</c> or <c>expired</c> (<see cref="AnomalyResolvers"/>).</param>
/// <param name="DeliveredAt">When <c>anomaly.detected</c> reached the notification endpoints (or found none to reach).</param>
[GenerateSerializer]
[Immutable]
[Alias("billing.Anomaly")]
public sealed record Anomaly(
    [property: Id(0)] string Id,
    [property: Id(1)] string Kind,
    [property: Id(2)] string Scope,
    [property: Id(3)] DateTimeOffset DetectedAt,
    [property: Id(4)] DateTimeOffset WindowStart,
    [property: Id(5)] TimeSpan Window,
    [property: Id(6)] double Observed,
    [property: Id(7)] double Expected,
    [property: Id(8)] double PValue,
    [property: Id(9)] string Test,
    [property: Id(10)] bool CardTesting,
    [property: Id(11)] ImmutableArray<string> SampleEventIds,
    [property: Id(12)] AnomalyState State = AnomalyState.Open,
    [property: Id(13)] DateTimeOffset? AcknowledgedAt = null,
    [property: Id(14)] DateTimeOffset? ResolvedAt = null,
    [property: Id(15)] string? ResolvedBy = null,
    [property: Id(16)] DateTimeOffset? DeliveredAt = null)
{
    /// <summary>The account scope of events without a Connect <c>account</c>.</summary>
    public const string PlatformScope = "platform";
}
