namespace Billing.Grains.Risk;

/// <summary>How worrying a churn-risk score is: ≥ 70 high, 40–69 medium, above 0 low.</summary>
[GenerateSerializer]
[Alias("billing.RiskBand")]
public enum RiskBand
{
    /// <summary>Score 0.</summary>
    None = 0,

    /// <summary>Score 1–39.</summary>
    Low = 1,

    /// <summary>Score 40–69.</summary>
    Medium = 2,

    /// <summary>Score 70 and above.</summary>
    High = 3,
}
