namespace Billing.Insights;

/// <summary>
/// Every threshold of anomaly detection, bound from <see cref="SectionName"/> (<c>Billing:Anomalies:*</c>) so
/// operators can tune them. The defaults are explained in README's "Anomaly detection"; <see cref="Validate"/> refuses nonsense.
/// </summary>
public sealed class DetectionOptions
{
    /// <summary>The configuration section: <c>Billing:Anomalies</c>.</summary>
    public const string SectionName = "Billing:Anomalies";

    /// <summary>Page on a count only below this p-value (one-sided Poisson tail, after over-dispersion).</summary>
    public double PageP { get; set; } = 1e-6;

    /// <summary>Warn (console only) below this p-value.</summary>
    public double WarnP { get; set; } = 1e-4;

    /// <summary>A count page needs at least this many events, however improbable fewer would be.</summary>
    public int PageMinCount { get; set; } = 10;

    /// <summary>A count page needs at least this multiple of the expected count (the effect-size floor).</summary>
    public double PageMinRatio { get; set; } = 3;

    /// <summary>A count warning needs at least this multiple of the expected count.</summary>
    public double WarnMinRatio { get; set; } = 2;

    /// <summary>The short window of payment failures; it and <see cref="FailureLongWindow"/> must agree.</summary>
    public TimeSpan FailureShortWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>The long window of payment failures.</summary>
    public TimeSpan FailureLongWindow { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The window of refunds.</summary>
    public TimeSpan RefundWindow { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The window of disputes and early fraud warnings.</summary>
    public TimeSpan DisputeWindow { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Disputes plus early fraud warnings (one per charge) in <see cref="DisputeWindow"/> that page...</summary>
    public int DisputePageMinCount { get; set; } = 3;

    /// <summary>
    /// ...when also at most this improbable against the account's baseline (the Gamma-Poisson predictive, which
    /// widens while the account's dispute rate is known only from a few events).
    /// </summary>
    public double DisputePageP { get; set; } = 1e-4;

    /// <summary>Two or more disputes in the window warn (console only) at most this improbable.</summary>
    public double DisputeWarnP { get; set; } = 1e-3;

    /// <summary>The failure rate every account starts from (Beta prior mean), e.g. 0.05 = 5 %.</summary>
    public double GlobalFailureRate { get; set; } = 0.05;

    /// <summary>How many pseudo-attempts at <see cref="GlobalFailureRate"/> smooth an account's own rate.</summary>
    public double FailureRatePriorAttempts { get; set; } = 50;

    /// <summary>A rate page needs at least this many attempts in the window.</summary>
    public int RatePageMinAttempts { get; set; } = 20;

    /// <summary>A rate page needs a rate of at least this multiple of the usual rate...</summary>
    public double RatePageMinMultiple { get; set; } = 2;

    /// <summary>...and at least the usual rate plus this (absolute, e.g. 0.2 = 20 points).</summary>
    public double RatePageMinIncrease { get; set; } = 0.2;

    /// <summary>A rate warning needs at least the usual rate plus this.</summary>
    public double RateWarnMinIncrease { get; set; } = 0.1;

    /// <summary>Failures per hour a new account is assumed to have, until it has history.</summary>
    public double PriorFailuresPerHour { get; set; } = 0.2;

    /// <summary>Refunds per hour a new account is assumed to have.</summary>
    public double PriorRefundsPerHour { get; set; } = 0.1;

    /// <summary>Disputes and early fraud warnings per hour a new account is assumed to have, at least.</summary>
    public double PriorDisputesPerHour { get; set; } = 0.002;

    /// <summary>
    /// Disputes per payment attempt a new account is assumed to have: the dispute prior grows with the account's
    /// volume (disputes follow payments), so a busy new account's ordinary disputes do not look like a surge.
    /// </summary>
    public double PriorDisputesPerAttempt { get; set; } = 0.0005;

    /// <summary>
    /// An account's expected rate never drops below this share of its prior: an account that has never had a
    /// dispute is not infinitely surprised by one (its μ would be 0 and every p-value 0).
    /// </summary>
    public double LevelFloorOfPrior { get; set; } = 0.1;

    /// <summary>Half-life of the baselines (EWMA of hourly counts and of the failure rate).</summary>
    public TimeSpan BaselineHalfLife { get; set; } = TimeSpan.FromDays(7);

    /// <summary>History after which an account's own level is trusted fully (before: shrunk toward the prior).</summary>
    public TimeSpan ShrinkUntilHistory { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Events after which an account's own level is trusted fully, whichever comes first.</summary>
    public int ShrinkUntilEvents { get; set; } = 200;

    /// <summary>History before which count tests only warn: a new account's volume is not known yet.</summary>
    public TimeSpan CountPageWarmup { get; set; } = TimeSpan.FromHours(24);

    /// <summary>History after which the hour-of-week profile shapes the expected counts.</summary>
    public TimeSpan ProfileAfterHistory { get; set; } = TimeSpan.FromDays(21);

    /// <summary>Weight of each week's new count in its hour-of-week slot.</summary>
    public double ProfileAlpha { get; set; } = 0.3;

    /// <summary>Pseudo-events pulling each hour-of-week factor toward 1 (sparse slots stay flat).</summary>
    public double ProfilePriorEvents { get; set; } = 10;

    /// <summary>Over-dispersion is learnt only from hours expecting at least this many events.</summary>
    public double DispersionMinHourlyMean { get; set; } = 0.5;

    /// <summary>The largest over-dispersion factor φ used (counts are tested as count/φ against μ/φ).</summary>
    public double MaxDispersion { get; set; } = 5;

    /// <summary>After a finding, no new finding of the same kind and severity for this long.</summary>
    public TimeSpan Cooldown { get; set; } = TimeSpan.FromHours(1);

    /// <summary>An hour is folded into the baseline this long after it ends (late events still land in it).</summary>
    public TimeSpan RollLag { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Card testing: the share of failures (setups, small amounts or card-number/CVC codes) that flags it.</summary>
    public double CardTestingShare { get; set; } = 0.5;

    /// <summary>Card testing: amounts at or below this (minor units) count as small.</summary>
    public long CardTestingMaxAmountMinor { get; set; } = 500;

    /// <summary>Card testing: decline codes that say the card number or security code was guessed.</summary>
    public IList<string> CardTestingDeclineCodes { get; set; } =
        ["incorrect_cvc", "invalid_cvc", "incorrect_number", "invalid_number", "incorrect_zip"];

    /// <summary>The 30-day dispute ratio (disputes / successful payments) that warns.</summary>
    public double DisputeRatioWarn { get; set; } = 0.005;

    /// <summary>The 30-day dispute ratio that is high.</summary>
    public double DisputeRatioHigh { get; set; } = 0.0075;

    /// <summary>
    /// How long event ids and payment keys are remembered for dedupe (Stripe retries a delivery for up to 3 days).
    /// Events created longer ago than this before the newest one seen are ignored: they cannot be told from replays.
    /// </summary>
    public TimeSpan DedupeHorizon { get; set; } = TimeSpan.FromHours(72);

    /// <summary>Most event ids and payment keys remembered for dedupe, whatever the horizon (oldest forgotten first).</summary>
    public int MaxRememberedKeys { get; set; } = 20_000;

    /// <summary>
    /// The host's: an open or acknowledged anomaly resolves itself this long after it was detected, so an account's
    /// baseline is not frozen for ever when nobody resolves it (a surge still going on then pages again).
    /// </summary>
    public TimeSpan AutoResolveAfter { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// The host's: how often a detector's state is written (and when it deactivates); a silo crash loses at most
    /// this much counting, never a stored anomaly.
    /// </summary>
    public TimeSpan StateWriteInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The problems with these options; empty when they are usable.</summary>
    public IEnumerable<string> Validate()
    {
        if (AutoResolveAfter < Cooldown || StateWriteInterval < TimeSpan.FromSeconds(1) || StateWriteInterval > TimeSpan.FromMinutes(10))
        {
            yield return "AutoResolveAfter must be at least Cooldown; StateWriteInterval between 1 s and 10 min";
        }

        if (PageP is <= 0 or >= 1 || WarnP is <= 0 or >= 1 || DisputePageP is <= 0 or >= 1 || DisputeWarnP is <= 0 or >= 1)
        {
            yield return "PageP, WarnP, DisputePageP and DisputeWarnP must be between 0 and 1";
        }

        if (PageP > WarnP)
        {
            yield return "PageP must not exceed WarnP (a page is the stricter test)";
        }

        if (PageMinCount < 1 || DisputePageMinCount < 1 || RatePageMinAttempts < 1)
        {
            yield return "PageMinCount, DisputePageMinCount and RatePageMinAttempts must be at least 1";
        }

        if (PageMinRatio < 1 || WarnMinRatio < 1 || RatePageMinMultiple < 1)
        {
            yield return "PageMinRatio, WarnMinRatio and RatePageMinMultiple must be at least 1";
        }

        if (GlobalFailureRate is <= 0 or >= 1)
        {
            yield return "GlobalFailureRate must be between 0 and 1";
        }

        if (LevelFloorOfPrior is < 0 or > 1 || RatePageMinIncrease is < 0 or >= 1 || RateWarnMinIncrease is < 0 or >= 1 || CardTestingShare is <= 0 or > 1 ||
            ProfileAlpha is <= 0 or > 1)
        {
            yield return "LevelFloorOfPrior, RatePageMinIncrease, RateWarnMinIncrease, CardTestingShare and ProfileAlpha must be fractions";
        }

        if (FailureRatePriorAttempts <= 0 || PriorFailuresPerHour <= 0 || PriorRefundsPerHour <= 0 ||
            PriorDisputesPerHour <= 0 || PriorDisputesPerAttempt < 0 || ProfilePriorEvents <= 0 || DispersionMinHourlyMean <= 0 || ShrinkUntilEvents <= 0)
        {
            yield return "priors (FailureRatePriorAttempts, Prior*PerHour, PriorDisputesPerAttempt, ProfilePriorEvents, DispersionMinHourlyMean, ShrinkUntilEvents) must be positive";
        }

        if (MaxDispersion < 1)
        {
            yield return "MaxDispersion must be at least 1";
        }

        foreach (var (name, window) in Windows())
        {
            if (window < TimeSpan.FromMinutes(1) || window > TimeSpan.FromHours(24))
            {
                yield return $"{name} must be between 1 minute and 24 hours (the minute buckets cover 25 hours)";
            }
        }

        if (FailureShortWindow > FailureLongWindow)
        {
            yield return "FailureShortWindow must not exceed FailureLongWindow";
        }

        if (BaselineHalfLife < TimeSpan.FromHours(1) || ShrinkUntilHistory < TimeSpan.Zero || CountPageWarmup < TimeSpan.Zero ||
            ProfileAfterHistory < TimeSpan.FromDays(7) || Cooldown < TimeSpan.Zero ||
            RollLag < TimeSpan.Zero || RollLag > TimeSpan.FromHours(1))
        {
            yield return "BaselineHalfLife ≥ 1 h, ProfileAfterHistory ≥ 7 days, RollLag within 0–1 h, and no negative durations";
        }

        if (DisputeRatioWarn <= 0 || DisputeRatioHigh < DisputeRatioWarn)
        {
            yield return "DisputeRatioWarn must be positive and at most DisputeRatioHigh";
        }

        if (DedupeHorizon < TimeSpan.FromHours(26) || DedupeHorizon > TimeSpan.FromDays(31))
        {
            yield return "DedupeHorizon must be between 26 hours (the windows) and 31 days (the dispute ratio)";
        }

        if (MaxRememberedKeys is < 100 or > 100_000)
        {
            yield return "MaxRememberedKeys must be between 100 and 100,000 (it bounds the stored state)";
        }
    }

    private IEnumerable<(string Name, TimeSpan Window)> Windows() =>
    [
        (nameof(FailureShortWindow), FailureShortWindow), (nameof(FailureLongWindow), FailureLongWindow),
        (nameof(RefundWindow), RefundWindow), (nameof(DisputeWindow), DisputeWindow),
    ];
}
