using System.Diagnostics.Metrics;
using Billing.Insights;

namespace Billing.Grains.Anomalies;

/// <summary>
/// The detectors' instruments on the <c>Billing.Insights</c> meter. No attribute names an account: per-account detail
/// lives in the anomalies themselves (OpenTelemetry caps a metric at 2,000 attribute sets).
/// </summary>
public sealed class InsightsMetrics : IDisposable
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "Billing.Insights";

    private readonly Meter _meter;
    private readonly Counter<long> _signals;
    private readonly Counter<long> _detections;

    /// <summary>Creates the instruments through <paramref name="meters"/>.</summary>
    public InsightsMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        _meter = meters.Create(MeterName);
        _signals = _meter.CreateCounter<long>("billing.anomaly.signals", "{signal}", "Signals read from verified Stripe events, by kind.");
        _detections = _meter.CreateCounter<long>("billing.anomaly.detections", "{anomaly}", "Surges found, by kind and severity (page or warn).");
        _meter.CreateObservableGauge<double>("billing.dispute.ratio", () => PlatformDisputeRatio is { } ratio ? [new Measurement<double>(ratio)] : [],
            "1", "Disputes and early fraud warnings over successful payments in the last 30 days, platform account (silo hosting its detector).");
    }

    /// <summary>The platform account's latest 30-day dispute ratio, as its detector last computed it on this silo.</summary>
    public double? PlatformDisputeRatio { get; set; }

    /// <summary>Counts one signal.</summary>
    public void Observed(SignalKind kind) => _signals.Add(1, new KeyValuePair<string, object?>("billing.anomaly.signal", SignalName(kind)));

    /// <summary>Counts one finding.</summary>
    public void Detected(string kind, FindingSeverity severity) => _detections.Add(1,
        new KeyValuePair<string, object?>("billing.anomaly.kind", kind),
        new KeyValuePair<string, object?>("billing.anomaly.severity", severity == FindingSeverity.Page ? "page" : "warn"));

    /// <inheritdoc/>
    public void Dispose() => _meter.Dispose();

    private static string SignalName(SignalKind kind) => kind switch
    {
        SignalKind.PaymentFailed => "payment_failed",
        SignalKind.PaymentSucceeded => "payment_succeeded",
        SignalKind.Refund => "refund",
        SignalKind.Dispute => "dispute",
        _ => "early_fraud_warning",
    };
}
