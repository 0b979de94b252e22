using System.Collections.Immutable;
using Billing.Insights;
using Orleans.Concurrency;

namespace Billing.Grains.Anomalies;

/// <summary>
/// The anomaly detector of one account (key: <c>acct_…</c> or <c>platform</c>): counts its payment failures, refunds
/// and disputes against its own learned baseline and pages on a surge (ADR 0012).
/// </summary>
public interface IAnomalyDetectorGrain : IGrainWithStringKey
{
    /// <summary>
    /// Counts signals read from verified events of this account (each event and each payment once, however often it
    /// comes) and tests the windows ending now; a surge is stored as an <see cref="Anomaly"/> and delivered as
    /// <c>anomaly.detected</c>.
    /// </summary>
    Task ObserveAsync(ImmutableArray<SignalObservation> observations);

    /// <summary>An operator resolved <paramref name="anomalyId"/>: its kind's baseline learns again.</summary>
    Task AnomalyResolvedAsync(string anomalyId);

    /// <summary>What the console shows of the account: its dispute ratio over 30 days and which kinds are open.</summary>
    [ReadOnly]
    Task<DetectorStatus> GetStatusAsync();
}
