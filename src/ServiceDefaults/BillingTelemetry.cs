using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Billing.ServiceDefaults;

/// <summary>
/// Billing's own trace source and the gateway's metrics, by OpenTelemetry's conventions: durations in seconds, a unit
/// on every instrument, one counter per thing with an outcome attribute, attribute names in the <c>billing.*</c>
/// namespace (<c>error.type</c> for why a delivery was refused), snake_case values. One instance per host (registered
/// as a singleton), created through <see cref="IMeterFactory"/> so tests can observe it without static state.
/// </summary>
public sealed class BillingTelemetry : IDisposable
{
    /// <summary>The name of Billing's activity source and meter.</summary>
    public const string ActivitySourceName = "Billing";

    /// <summary>The meter name (same as the activity source).</summary>
    public const string MeterName = "Billing";

    /// <summary>The meter of the anomaly detectors (silos), kept apart so their instruments can be routed on their own.</summary>
    public const string InsightsMeterName = "Billing.Insights";

    /// <summary>The attribute of <see cref="WebhookEvents"/> and <see cref="WebhookDuration"/>: what became of a delivery.</summary>
    public const string OutcomeAttribute = "billing.webhook.outcome";

    /// <summary>OpenTelemetry's attribute for why something failed (a refusal's reason, a 503's exception type).</summary>
    public const string ErrorTypeAttribute = "error.type";

    private readonly Meter _meter;

    /// <summary>Creates the instruments on a meter from <paramref name="meterFactory"/>.</summary>
    public BillingTelemetry(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _meter = meterFactory.Create(MeterName);
        WebhookEvents = _meter.CreateCounter<long>("billing.webhook.events", "{event}",
            "Webhook deliveries by billing.webhook.outcome: received (every delivery with a valid signature), then one of " +
            "applied, duplicate, ignored, failed (answered 503); rejected (refused before that; error.type says why).");
        WebhookDuration = _meter.CreateHistogram<double>("billing.webhook.duration", "s",
            "Time from a webhook's arrival to its answer, every answer included (refusals and 503s), by billing.webhook.outcome.",
            advice: new() { HistogramBucketBoundaries = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10] });
        ApplyBatchSize = _meter.CreateHistogram<int>("billing.apply.batch_size", "{event}",
            "Events of one customer handed to its grain in one call (and stored with one write).",
            advice: new() { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64] });
        EntitlementReads = _meter.CreateCounter<long>("billing.entitlements.reads", "{call}",
            "Entitlement reads by the gateway, by where they were answered from (the gateway's near-cache or the grain).");
    }

    /// <summary>Traces Billing's own steps (webhook handling, grain work, fan-out).</summary>
    public ActivitySource ActivitySource { get; } = new(ActivitySourceName);

    /// <summary>Webhook deliveries, by <see cref="OutcomeAttribute"/> (use <see cref="RecordWebhook"/>).</summary>
    public Counter<long> WebhookEvents { get; }

    /// <summary>Webhook latency in seconds, every answer included (use <see cref="RecordWebhook"/>).</summary>
    public Histogram<double> WebhookDuration { get; }

    /// <summary>Events per grain call.</summary>
    public Histogram<int> ApplyBatchSize { get; }

    /// <summary>Entitlement reads, by where they were answered from.</summary>
    public Counter<long> EntitlementReads { get; }

    /// <summary>Counts a delivery with a valid signature (its final outcome is recorded by <see cref="RecordWebhook"/>).</summary>
    public void WebhookReceived() =>
        WebhookEvents.Add(1, new KeyValuePair<string, object?>(OutcomeAttribute, "received"));

    /// <summary>
    /// Records how a webhook was answered: <paramref name="outcome"/> is <c>applied</c>, <c>duplicate</c>, <c>ignored</c>,
    /// <c>failed</c> or <c>rejected</c>, <paramref name="errorType"/> why it was refused or failed.
    /// </summary>
    public void RecordWebhook(string outcome, TimeSpan elapsed, string? errorType = null)
    {
        var tags = new TagList { { OutcomeAttribute, outcome } };
        if (errorType is not null)
        {
            tags.Add(ErrorTypeAttribute, errorType);
        }

        WebhookEvents.Add(1, tags);
        WebhookDuration.Record(elapsed.TotalSeconds, tags);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        ActivitySource.Dispose();
        _meter.Dispose();
    }
}
