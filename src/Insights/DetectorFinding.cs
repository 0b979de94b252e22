namespace Billing.Insights;

/// <summary>
/// One surge found by <see cref="AccountDetector.Evaluate"/>, with its evidence: what was seen in which window,
/// what the account's baseline expected, and how improbable that is.
/// </summary>
/// <param name="Kind">One of <see cref="AnomalyKinds"/>.</param>
/// <param name="Severity">Page (an anomaly) or Warn (console only).</param>
/// <param name="Test"><c>count</c> (Poisson tail of a count) or <c>rate</c> (binomial tail of a failure rate).</param>
/// <param name="Window">The window the evidence covers (the shorter one where two windows had to agree).</param>
/// <param name="Observed">Events of this kind in the window.</param>
/// <param name="Expected">
/// What the baseline expected in the window: μ for a count test; attempts × the account's usual failure rate for a
/// rate test.
/// </param>
/// <param name="PValue">The probability of seeing at least <paramref name="Observed"/> by chance (may underflow to 0).</param>
/// <param name="Attempts">Payment attempts in the window (rate tests), else null.</param>
/// <param name="SampleEventIds">Up to 10 ids of the events counted, newest first.</param>
/// <param name="CardTesting">True when the failures have the shape of card testing (card setups, small amounts, CVC/number declines).</param>
/// <param name="WindowStart">Start of the window.</param>
/// <param name="WindowEnd">End of the window (the evaluation time).</param>
public sealed record DetectorFinding(
    string Kind,
    FindingSeverity Severity,
    string Test,
    TimeSpan Window,
    long Observed,
    double Expected,
    double PValue,
    long? Attempts,
    IReadOnlyList<string> SampleEventIds,
    bool CardTesting,
    DateTimeOffset WindowStart,
    DateTimeOffset WindowEnd);
