namespace Billing.Insights.State;

/// <summary>An account's own failure rate: failures and attempts, decayed with the baselines' half-life.</summary>
public sealed class RateBaseline
{
    /// <summary>Decayed failures.</summary>
    public double Failures { get; set; }

    /// <summary>Decayed attempts (failures plus successes).</summary>
    public double Attempts { get; set; }
}
