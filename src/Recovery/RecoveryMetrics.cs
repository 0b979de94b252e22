using System.Diagnostics.Metrics;

namespace Billing.Recovery;

/// <summary>Recovery's metrics on the <c>Billing</c> meter (OpenTelemetry conventions: units, one outcome attribute, no customer or account attributes).</summary>
public sealed class RecoveryMetrics
{
    private readonly Counter<long> _items;
    private readonly Counter<long> _drifts;
    private readonly Histogram<double> _lag;

    /// <summary>Creates the instruments.</summary>
    public RecoveryMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create("Billing");
        _items = meter.CreateCounter<long>("billing.recovery.items", "{item}",
            "Objects and events recovery read from Stripe's API, by job kind and outcome (applied, duplicate, ignored, failed).");
        _drifts = meter.CreateCounter<long>("billing.recovery.drifts", "{customer}",
            "Customers whose state differed from Stripe's objects, by whether they were repaired.");
        _lag = meter.CreateHistogram<double>("billing.recovery.poll.lag", "s",
            "How far behind now the Events API poll's high-water mark was when a poll finished.");
    }

    /// <summary>Counts what one step of a job did.</summary>
    public void RecordItems(string kind, long applied, long duplicate, long ignored, long failed)
    {
        Add(kind, "applied", applied);
        Add(kind, "duplicate", duplicate);
        Add(kind, "ignored", ignored);
        Add(kind, "failed", failed);
    }

    /// <summary>Counts drifted customers.</summary>
    public void RecordDrifts(long count, bool repaired)
    {
        if (count > 0)
        {
            _drifts.Add(count, new KeyValuePair<string, object?>("billing.recovery.repaired", repaired));
        }
    }

    /// <summary>Records the poll's lag.</summary>
    public void RecordPollLag(TimeSpan lag) => _lag.Record(Math.Max(0, lag.TotalSeconds));

    private void Add(string kind, string outcome, long count)
    {
        if (count > 0)
        {
            _items.Add(count, new KeyValuePair<string, object?>("billing.recovery.kind", kind),
                new KeyValuePair<string, object?>("billing.recovery.outcome", outcome));
        }
    }
}
