namespace Billing.Insights.State;

/// <summary>
/// What an account usually sees of one signal per hour: a bias-corrected EWMA of hourly counts (<see cref="Sum"/> /
/// <see cref="Weight"/>), an hour-of-week profile, and the over-dispersion φ (EWMA of squared Pearson residuals).
/// </summary>
public sealed class CountBaseline
{
    /// <summary>Decayed sum of (winsorized) hourly counts.</summary>
    public double Sum { get; set; }

    /// <summary>Decayed number of hours folded in.</summary>
    public double Weight { get; set; }

    /// <summary>Hours folded in (not decayed): the account's history for this signal.</summary>
    public long Hours { get; set; }

    /// <summary>Events folded in (not decayed, not winsorized).</summary>
    public long Events { get; set; }

    /// <summary>Per hour-of-week slot (0 = Monday 00:00 UTC): decayed sum of counts.</summary>
    public double[] SlotSums { get; set; } = new double[168];

    /// <summary>Per hour-of-week slot: decayed number of weeks folded in.</summary>
    public double[] SlotWeights { get; set; } = new double[168];

    /// <summary>Decayed sum of squared Pearson residuals.</summary>
    public double DispersionSum { get; set; }

    /// <summary>Decayed number of hours in <see cref="DispersionSum"/>.</summary>
    public double DispersionWeight { get; set; }
}
