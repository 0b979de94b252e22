using System.Collections.Immutable;

namespace Billing.Grains.Anomalies;

/// <summary>An account detector's state as the console shows it.</summary>
/// <param name="Scope">The account (<c>acct_…</c> or <c>platform</c>).</param>
/// <param name="Disputes">Disputes and early fraud warnings in the last 30 days.</param>
/// <param name="SuccessfulPayments">Successful payments in the last 30 days.</param>
/// <param name="DisputeRatio">Disputes over successful payments; null before any payment.</param>
/// <param name="DisputeRatioLevel"><c>normal</c>, <c>warn</c> (≥ 0.5 %) or <c>high</c> (≥ 0.75 %).</param>
/// <param name="OpenKinds">The kinds with an anomaly open (their baselines frozen).</param>
[GenerateSerializer]
[Immutable]
[Alias("billing.DetectorStatus")]
public sealed record DetectorStatus(
    [property: Id(0)] string Scope,
    [property: Id(1)] int Disputes,
    [property: Id(2)] long SuccessfulPayments,
    [property: Id(3)] double? DisputeRatio,
    [property: Id(4)] string DisputeRatioLevel,
    [property: Id(5)] ImmutableArray<string> OpenKinds);
