using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Billing.ServiceDefaults;

/// <summary>
/// Billing's own trace source and metrics. One instance per host (registered as a singleton), created through
/// <see cref="IMeterFactory"/> so tests can observe it without static state.
/// </summary>
public sealed class BillingTelemetry : IDisposable
{
    /// <summary>The name of Billing's activity source and meter.</summary>
    public const string ActivitySourceName = "Billing";

    /// <summary>The meter name (same as the activity source).</summary>
    public const string MeterName = "Billing";

    private readonly Meter _meter;

    /// <summary>Creates the instruments on a meter from <paramref name="meterFactory"/>.</summary>
    public BillingTelemetry(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _meter = meterFactory.Create(MeterName);
        EventsReceived = _meter.CreateCounter<long>("billing.webhook.events.received", "{event}",
            "Webhook deliveries with a valid signature.");
        EventsRejected = _meter.CreateCounter<long>("billing.webhook.events.rejected", "{event}",
            "Webhook deliveries refused (bad signature, malformed body, too large); tagged by reason.");
        EventsApplied = _meter.CreateCounter<long>("billing.webhook.events.applied", "{event}",
            "Events applied for the first time.");
        EventsDuplicate = _meter.CreateCounter<long>("billing.webhook.events.duplicate", "{event}",
            "Deliveries of events already applied.");
        EventsIgnored = _meter.CreateCounter<long>("billing.webhook.events.ignored", "{event}",
            "Events of types or modes the product does not use.");
        EventsFailed = _meter.CreateCounter<long>("billing.webhook.events.failed", "{event}",
            "Deliveries that could not be stored now (answered 503; Stripe retries).");
        WebhookDuration = _meter.CreateHistogram<double>("billing.webhook.duration", "ms",
            "Time from a verified webhook to its durable answer.",
            advice: new() { HistogramBucketBoundaries = [0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 5000] });
        ApplyBatchSize = _meter.CreateHistogram<int>("billing.apply.batch_size", "{event}",
            "Events of one customer handed to its grain in one call (and stored with one write).",
            advice: new() { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64] });
        EntitlementReads = _meter.CreateCounter<long>("billing.entitlements.reads", "{call}",
            "Entitlement reads by the gateway; tagged source=cache (answered from the gateway's near-cache) or grain.");
    }

    /// <summary>Traces Billing's own steps (webhook handling, grain work, fan-out).</summary>
    public ActivitySource ActivitySource { get; } = new(ActivitySourceName);

    /// <summary>Deliveries with a valid signature.</summary>
    public Counter<long> EventsReceived { get; }

    /// <summary>Deliveries refused before reaching a grain.</summary>
    public Counter<long> EventsRejected { get; }

    /// <summary>Events applied for the first time.</summary>
    public Counter<long> EventsApplied { get; }

    /// <summary>Deliveries of events already applied.</summary>
    public Counter<long> EventsDuplicate { get; }

    /// <summary>Events the product does not use.</summary>
    public Counter<long> EventsIgnored { get; }

    /// <summary>Deliveries answered 503.</summary>
    public Counter<long> EventsFailed { get; }

    /// <summary>Webhook latency.</summary>
    public Histogram<double> WebhookDuration { get; }

    /// <summary>Events per grain call.</summary>
    public Histogram<int> ApplyBatchSize { get; }

    /// <summary>Entitlement reads, by where they were answered from.</summary>
    public Counter<long> EntitlementReads { get; }

    /// <inheritdoc/>
    public void Dispose()
    {
        ActivitySource.Dispose();
        _meter.Dispose();
    }
}
