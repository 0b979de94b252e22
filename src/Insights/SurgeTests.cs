namespace Billing.Insights;

/// <summary>
/// The two statistical tests and their effect-size floors. A test says how loud a window is: nothing, Warn or Page.
/// A tiny p-value alone never pages: at high volume almost any wobble is "significant", so a page also needs the
/// count (or rate) to be far above normal in absolute terms.
/// </summary>
internal static class SurgeTests
{
    /// <summary>The verdict of one test on one window.</summary>
    public readonly record struct Verdict(FindingSeverity? Severity, long Observed, double Expected, double PValue, long? Attempts);

    /// <summary>
    /// Poisson upper tail of <paramref name="count"/> against <paramref name="mean"/>, over-dispersion φ applied as
    /// count/φ against μ/φ (a quasi-Poisson approximation). Page: p ≤ PageP, count ≥ PageMinCount, count ≥
    /// PageMinRatio·μ. Warn: p ≤ WarnP and count ≥ WarnMinRatio·μ.
    /// </summary>
    public static Verdict Count(long count, double mean, double dispersion, DetectionOptions options)
    {
        var p = Tails.PoissonUpper(count / dispersion, mean / dispersion);
        FindingSeverity? severity = null;
        if (p <= options.PageP && count >= options.PageMinCount && count >= options.PageMinRatio * mean)
        {
            severity = FindingSeverity.Page;
        }
        else if (p <= options.WarnP && count >= options.WarnMinRatio * mean && count > 0)
        {
            severity = FindingSeverity.Warn;
        }

        return new Verdict(severity, count, mean, p, null);
    }

    /// <summary>
    /// Binomial upper tail of <paramref name="failures"/> of <paramref name="attempts"/> against the usual rate p0.
    /// Page: p ≤ PageP, attempts ≥ RatePageMinAttempts, rate ≥ max(RatePageMinMultiple·p0, p0 + RatePageMinIncrease).
    /// Warn: p ≤ WarnP, attempts ≥ RatePageMinAttempts, rate ≥ p0 + RateWarnMinIncrease.
    /// </summary>
    public static Verdict Rate(long failures, long attempts, double usualRate, DetectionOptions options)
    {
        var p = Tails.BinomialUpper(failures, attempts, usualRate);
        var rate = attempts == 0 ? 0 : (double)failures / attempts;
        FindingSeverity? severity = null;
        if (attempts >= options.RatePageMinAttempts)
        {
            if (p <= options.PageP &&
                rate >= Math.Max(options.RatePageMinMultiple * usualRate, usualRate + options.RatePageMinIncrease))
            {
                severity = FindingSeverity.Page;
            }
            else if (p <= options.WarnP && rate >= usualRate + options.RateWarnMinIncrease)
            {
                severity = FindingSeverity.Warn;
            }
        }

        return new Verdict(severity, failures, attempts * usualRate, p, attempts);
    }

    /// <summary>The quieter of two windows' verdicts: both must agree for a finding (multi-window alerting).</summary>
    public static Verdict Agree(Verdict shortWindow, Verdict longWindow)
    {
        FindingSeverity? both = shortWindow.Severity is null || longWindow.Severity is null
            ? null
            : (FindingSeverity)Math.Min((int)shortWindow.Severity.Value, (int)longWindow.Severity.Value);
        return shortWindow with { Severity = both };
    }

    /// <summary>Demotes a page to a warning (e.g. a count test before the account's volume is known).</summary>
    public static Verdict AtMostWarn(Verdict verdict) =>
        verdict.Severity == FindingSeverity.Page ? verdict with { Severity = FindingSeverity.Warn } : verdict;
}
