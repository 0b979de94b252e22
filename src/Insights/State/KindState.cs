namespace Billing.Insights.State;

/// <summary>One kind's finding lifecycle on this account, and the newest events of that kind as samples.</summary>
public sealed class KindState
{
    /// <summary>True while an anomaly of this kind is open (not resolved): no new findings, baseline frozen.</summary>
    public bool Open { get; set; }

    /// <summary>
    /// Hours before this one (hours since the Unix epoch) are folded into this kind's baseline (or skipped). An hour
    /// is folded only once it has left the kind's test window, so a surge is never tested against a baseline that
    /// already learnt it.
    /// </summary>
    public long RolledHour { get; set; }

    /// <summary>Hours up to this one are never folded: they were in the window of an anomaly resolved since.</summary>
    public long SkipThroughHour { get; set; }

    /// <summary>When the last page was found.</summary>
    public DateTimeOffset? LastPageAt { get; set; }

    /// <summary>When the last warning was found.</summary>
    public DateTimeOffset? LastWarnAt { get; set; }

    /// <summary>The newest events counted for this kind (at most 10), oldest first.</summary>
    public List<SampleEvent> Samples { get; set; } = [];
}
