using System.Diagnostics.Metrics;

namespace Billing.Journal;

/// <summary>The journal's metrics on the <c>Billing</c> meter (OpenTelemetry conventions: seconds, units, one outcome attribute).</summary>
public sealed class JournalMetrics
{
    private readonly Histogram<double> _commitDuration;
    private readonly Histogram<int> _commitEntries;
    private readonly Histogram<int> _commitOperations;

    /// <summary>Creates the instruments.</summary>
    public JournalMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create("Billing");
        _commitDuration = meter.CreateHistogram<double>("billing.journal.commit.duration", "s",
            "How long one group commit took, by its result.");
        _commitEntries = meter.CreateHistogram<int>("billing.journal.commit.entries", "{entry}",
            "Journal entries per group commit.");
        _commitOperations = meter.CreateHistogram<int>("billing.journal.commit.operations", "{operation}",
            "Operations (appends, cursors, snapshot marks) per group commit.");
    }

    /// <summary>Records one group commit.</summary>
    public void RecordCommit(int entries, int operations, string result, TimeSpan duration)
    {
        var tag = new KeyValuePair<string, object?>("billing.journal.commit.result", result);
        _commitDuration.Record(duration.TotalSeconds, tag);
        _commitEntries.Record(entries, tag);
        _commitOperations.Record(operations, tag);
    }
}
