namespace Billing.Grains.Anomalies;

/// <summary>Where an anomaly is in its life, like an incident's: open until someone (or the quiet that follows) ends it.</summary>
[GenerateSerializer]
[Alias("billing.AnomalyState")]
public enum AnomalyState
{
    /// <summary>Detected and not yet looked at: the account's baseline for its kind is frozen.</summary>
    Open = 0,

    /// <summary>An operator is on it; the baseline stays frozen.</summary>
    Acknowledged = 1,

    /// <summary>Over: by an operator, or by itself after a quiet period; the baseline learns again.</summary>
    Resolved = 2,
}
