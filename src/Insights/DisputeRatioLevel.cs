namespace Billing.Insights;

/// <summary>Where a dispute ratio stands against the thresholds.</summary>
public enum DisputeRatioLevel
{
    /// <summary>Below the warning threshold (or no payments).</summary>
    Normal,

    /// <summary>At or above <see cref="DetectionOptions.DisputeRatioWarn"/>.</summary>
    Warn,

    /// <summary>At or above <see cref="DetectionOptions.DisputeRatioHigh"/>.</summary>
    High,
}
