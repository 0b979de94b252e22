using Billing.Insights.State;

namespace Billing.Insights;

/// <summary>
/// The baseline arithmetic: what an account expects per hour, and how one finished hour updates that. Kept apart
/// from <see cref="AccountDetector"/> so the rules read in one place.
/// </summary>
internal static class Baselines
{
    public const int SlotsPerWeek = 168;

    // The Unix epoch was a Thursday: 72 hours after a Monday 00:00.
    private const long EpochSlot = 72;

    public static int SlotOf(long hour) => (int)((hour + EpochSlot) % SlotsPerWeek);

    /// <summary>The account's own mean per hour, shrunk toward the prior until it has enough history or events.</summary>
    public static double Level(CountBaseline b, double prior, DetectionOptions options)
    {
        if (b.Weight <= 0)
        {
            return prior;
        }

        var own = b.Sum / b.Weight;
        var trust = Math.Min(1, Math.Max(b.Hours / options.ShrinkUntilHistory.TotalHours, (double)b.Events / options.ShrinkUntilEvents));
        return Math.Max(trust * own + (1 - trust) * prior, options.LevelFloorOfPrior * prior);
    }

    /// <summary>
    /// The hour-of-week factor of <paramref name="hour"/>: 1 until the profile has enough history, then the slot's
    /// mean over the level, pulled toward 1 by pseudo-events so sparse slots stay flat, within [0.2, 5].
    /// </summary>
    public static double Factor(CountBaseline b, long hour, double level, DetectionOptions options)
    {
        if (b.Hours < options.ProfileAfterHistory.TotalHours || level <= 0)
        {
            return 1;
        }

        var slot = SlotOf(hour);
        var factor = (b.SlotSums[slot] + options.ProfilePriorEvents) / (b.SlotWeights[slot] * level + options.ProfilePriorEvents);
        return Math.Clamp(factor, 0.2, 5);
    }

    /// <summary>The expected count per hour at <paramref name="hour"/>.</summary>
    public static double HourlyMean(CountBaseline b, long hour, double prior, DetectionOptions options)
    {
        var level = Level(b, prior, options);
        return level * Factor(b, hour, level, options);
    }

    /// <summary>The over-dispersion φ ≥ 1: Poisson's variance is μ, the account's is about φμ.</summary>
    public static double Dispersion(CountBaseline b, DetectionOptions options) =>
        b.DispersionWeight <= 0 ? 1 : Math.Clamp(b.DispersionSum / b.DispersionWeight, 1, options.MaxDispersion);

    /// <summary>Folds one finished hour's count in; the caller skips this while the kind has an open anomaly.</summary>
    public static void Fold(CountBaseline b, long hour, int count, double prior, DetectionOptions options)
    {
        var mean = HourlyMean(b, hour, prior, options);

        // Winsorized so one extreme hour that did not page still cannot drag the baseline up; the √max(μ, 1) keeps a
        // quiet account (μ ≪ 1) able to learn that it sees one or two events an hour.
        var capped = Math.Min(count, mean + 3 * Math.Sqrt(Math.Max(mean, 1)));
        var decay = Decay(options);
        if (mean >= options.DispersionMinHourlyMean)
        {
            b.DispersionSum = decay * b.DispersionSum + (capped - mean) * (capped - mean) / mean;
            b.DispersionWeight = decay * b.DispersionWeight + 1;
        }

        b.Sum = decay * b.Sum + capped;
        b.Weight = decay * b.Weight + 1;
        b.Hours++;
        b.Events += count;
        var slot = SlotOf(hour);
        b.SlotSums[slot] = (1 - options.ProfileAlpha) * b.SlotSums[slot] + capped;
        b.SlotWeights[slot] = (1 - options.ProfileAlpha) * b.SlotWeights[slot] + 1;
    }

    /// <summary>Folds one finished hour's failures and attempts into the account's failure rate.</summary>
    public static void Fold(RateBaseline r, int failures, int attempts, DetectionOptions options)
    {
        var decay = Decay(options);
        r.Failures = decay * r.Failures + failures;
        r.Attempts = decay * r.Attempts + attempts;
    }

    /// <summary>The account's usual failure rate: its own, Beta-smoothed toward the global rate.</summary>
    public static double FailureRate(RateBaseline r, DetectionOptions options) =>
        (r.Failures + options.FailureRatePriorAttempts * options.GlobalFailureRate) /
        (r.Attempts + options.FailureRatePriorAttempts);

    private static double Decay(DetectionOptions options) => Math.Pow(0.5, 1 / options.BaselineHalfLife.TotalHours);
}
