namespace Billing.Insights;

/// <summary>
/// Disputes over successful payments in the last 30 days: the ratio card networks' monitoring programmes watch
/// (processors warn near 0.75 %).
/// </summary>
/// <param name="Disputes">Disputes opened in the 30 days.</param>
/// <param name="SuccessfulPayments">Successful payments in the 30 days (card setups excluded).</param>
/// <param name="Ratio">Disputes / successful payments; null without payments.</param>
/// <param name="Level">Normal, Warn (≥ <see cref="DetectionOptions.DisputeRatioWarn"/>) or High (≥ <see cref="DetectionOptions.DisputeRatioHigh"/>).</param>
public sealed record DisputeRatioGauge(int Disputes, long SuccessfulPayments, double? Ratio, DisputeRatioLevel Level);
