namespace Billing.Insights;

/// <summary>How loud a finding is.</summary>
public enum FindingSeverity
{
    /// <summary>Unusual but not urgent: shown in the console only.</summary>
    Warn,

    /// <summary>Urgent: an anomaly to store, show and deliver as <c>anomaly.detected</c>.</summary>
    Page,
}
