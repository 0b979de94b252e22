using Billing.Insights.State;

namespace Billing.Insights;

/// <summary>
/// Detects surges of payment failures, refunds and disputes on one account (a connected account or the platform)
/// against that account's own learned baseline. One instance per account; not thread-safe (a grain's turn is).
/// The host feeds it <see cref="Observe"/>, calls <see cref="Evaluate"/> after each batch and on a timer, stores
/// <see cref="State"/>, and calls <see cref="SetOpen"/> when an operator resolves an anomaly.
/// </summary>
public sealed class AccountDetector
{
    private readonly DetectionOptions _options;
    private readonly SignalDedupe _dedupe;
    private readonly SignalBook _book;

    /// <summary>A detector over <paramref name="state"/> (as stored), or a new account's when null.</summary>
    public AccountDetector(DetectionOptions options, DetectorState? state = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        State = state ?? new DetectorState();
        _dedupe = new SignalDedupe(State, options);
        _book = new SignalBook(State, options);
    }

    /// <summary>What to store after <see cref="Observe"/>, <see cref="Evaluate"/> or <see cref="SetOpen"/>.</summary>
    public DetectorState State { get; }

    /// <summary>Disputes over successful payments in the 30 days up to the newest event or evaluation.</summary>
    public DisputeRatioGauge DisputeRatio
    {
        get
        {
            var (disputes, successes) = _book.LastThirtyDays();
            double? ratio = successes == 0 ? null : (double)disputes / successes;
            var level = ratio >= _options.DisputeRatioHigh ? DisputeRatioLevel.High
                : ratio >= _options.DisputeRatioWarn ? DisputeRatioLevel.Warn
                : DisputeRatioLevel.Normal;
            return new DisputeRatioGauge(disputes, successes, ratio, level);
        }
    }

    /// <summary>True while an anomaly of <paramref name="kind"/> (one of <see cref="AnomalyKinds"/>) is open.</summary>
    public bool IsOpen(string kind) => KindStateOf(kind).Open;

    /// <summary>
    /// Opens or closes <paramref name="kind"/>. A page opens its kind by itself; the host closes it when the anomaly
    /// is resolved (and may open it, e.g. after restoring from its own records). While open, that kind finds nothing
    /// new and its baseline is frozen, so an attack does not teach the account that attacks are normal.
    /// </summary>
    public void SetOpen(string kind, bool open)
    {
        var state = KindStateOf(kind);
        if (state.Open && !open)
        {
            // The surge's hours have not all left the window yet: they must not be folded in after the resolve.
            state.SkipThroughHour = State.NewestMinute / 60;
        }

        state.Open = open;
    }

    /// <summary>
    /// Counts new signals: each event id once, and each payment key once per class (failure, success, refund,
    /// dispute), so the several events announcing one payment count once. Returns how many were counted.
    /// </summary>
    public int Observe(IEnumerable<SignalObservation> observations)
    {
        ArgumentNullException.ThrowIfNull(observations);
        var counted = 0;
        foreach (var o in observations)
        {
            ArgumentNullException.ThrowIfNull(o);
            State.Account ??= o.Account;
            if (!string.Equals(State.Account, o.Account, StringComparison.Ordinal))
            {
                throw new ArgumentException($"this detector is {State.Account}'s, not {o.Account}'s", nameof(observations));
            }

            var minute = SignalBook.MinuteOf(o.At);
            if (!_dedupe.IsNewEvent(o, minute))
            {
                continue;
            }

            if (State.FirstHour == 0)
            {
                // The account's history starts at its first event's hour.
                State.FirstHour = minute / 60;
            }

            State.NewestMinute = Math.Max(State.NewestMinute, minute);
            var isNew = _dedupe.IsNewPayment(o, minute);
            _book.Record(o, KindStateOf(o.Kind), isNew);
            counted += isNew ? 1 : 0;
        }

        Roll();
        _book.Prune();
        _dedupe.Prune();
        return counted;
    }

    /// <summary>
    /// Tests the windows ending at <paramref name="now"/> and returns the new findings (at most one per kind). Folds
    /// finished hours into the baselines first. A page opens its kind (see <see cref="SetOpen"/>); after any finding
    /// the same kind and severity stays quiet for <see cref="DetectionOptions.Cooldown"/>.
    /// </summary>
    public IReadOnlyList<DetectorFinding> Evaluate(DateTimeOffset now)
    {
        if (State.Account is null)
        {
            return [];
        }

        var nowMinute = SignalBook.MinuteOf(now);
        State.NewestMinute = Math.Max(State.NewestMinute, nowMinute);
        Roll();
        _book.Prune();
        _dedupe.Prune();

        var findings = new List<DetectorFinding>();
        FailureFinding(now, nowMinute, findings);
        RefundFinding(now, nowMinute, findings);
        DisputeFinding(now, nowMinute, findings);
        return findings;
    }

    private void FailureFinding(DateTimeOffset now, long nowMinute, List<DetectorFinding> findings)
    {
        var shortStart = nowMinute - (long)_options.FailureShortWindow.TotalMinutes;
        var shortCounts = _book.Sum(shortStart);
        var longCounts = _book.Sum(nowMinute - (long)_options.FailureLongWindow.TotalMinutes);
        SurgeTests.Verdict verdict;
        string test;
        if (ReceivesSuccesses())
        {
            var usual = Baselines.FailureRate(State.FailureRate, _options);
            verdict = SurgeTests.Agree(
                SurgeTests.Rate(shortCounts.Failures, shortCounts.Attempts, usual, _options),
                SurgeTests.Rate(longCounts.Failures, longCounts.Attempts, usual, _options));
            test = "rate";
        }
        else
        {
            var hourly = Baselines.HourlyMean(State.Failures, nowMinute / 60, _options.PriorFailuresPerHour, _options);
            var dispersion = Baselines.Dispersion(State.Failures, _options);
            verdict = WarmedUp(State.Failures, SurgeTests.Agree(
                SurgeTests.Count(shortCounts.Failures, hourly * _options.FailureShortWindow.TotalHours, dispersion, _options),
                SurgeTests.Count(longCounts.Failures, hourly * _options.FailureLongWindow.TotalHours, dispersion, _options)));
            test = "count";
        }

        var f = Math.Max(shortCounts.Failures, 1);
        var share = _options.CardTestingShare;
        var cardTesting = shortCounts.Failures > 0 &&
            ((double)shortCounts.SetupFailures / f >= share || (double)shortCounts.SmallFailures / f >= share ||
             (double)shortCounts.CardCodeFailures / f >= share);
        Consider(AnomalyKinds.PaymentFailures, State.PaymentFailuresKind, verdict, test, _options.FailureShortWindow,
            cardTesting, now, shortStart, findings);
    }

    private void RefundFinding(DateTimeOffset now, long nowMinute, List<DetectorFinding> findings)
    {
        var start = nowMinute - (long)_options.RefundWindow.TotalMinutes;
        var hourly = Baselines.HourlyMean(State.Refunds, nowMinute / 60, _options.PriorRefundsPerHour, _options);
        var verdict = WarmedUp(State.Refunds, SurgeTests.Count(
            _book.Sum(start).Refunds, hourly * _options.RefundWindow.TotalHours, Baselines.Dispersion(State.Refunds, _options), _options));
        Consider(AnomalyKinds.Refunds, State.RefundsKind, verdict, "count", _options.RefundWindow, false, now, start, findings);
    }

    private void DisputeFinding(DateTimeOffset now, long nowMinute, List<DetectorFinding> findings)
    {
        var start = nowMinute - (long)_options.DisputeWindow.TotalMinutes;
        var count = _book.FraudsAfter(start);

        // Disputes are rare, so an account's dispute rate is known only roughly: the p-value is that of the
        // Gamma-Poisson predictive (negative binomial), which widens with that uncertainty, rather than of a Poisson
        // at a point estimate. The prior weighs as much as ShrinkUntilHistory hours at the prior rate. No hour-of-week
        // shape: disputes are too rare for one, and arrive days after the payment anyway.
        var baseline = State.Disputes;
        var windowHours = _options.DisputeWindow.TotalHours;
        var priorHours = Math.Max(_options.ShrinkUntilHistory.TotalHours, 1);
        var shape = baseline.Sum + DisputePrior() * priorHours;
        var hours = baseline.Weight + priorHours;
        var mean = shape / hours * windowHours;
        var p = Tails.NegativeBinomialUpper(count, shape, windowHours / (hours + windowHours));
        FindingSeverity? severity = count >= _options.DisputePageMinCount && p <= _options.DisputePageP ? FindingSeverity.Page
            : count >= 2 && p <= _options.DisputeWarnP ? FindingSeverity.Warn
            : null;
        Consider(AnomalyKinds.Disputes, State.DisputesKind, new SurgeTests.Verdict(severity, count, mean, p, null), "count",
            _options.DisputeWindow, false, now, start, findings);
    }

    private void Consider(string kind, KindState state, SurgeTests.Verdict verdict, string test, TimeSpan window,
        bool cardTesting, DateTimeOffset now, long startMinute, List<DetectorFinding> findings)
    {
        if (verdict.Severity is not { } severity || state.Open || Within(state.LastPageAt, now) ||
            (severity == FindingSeverity.Warn && Within(state.LastWarnAt, now)))
        {
            return;
        }

        findings.Add(new DetectorFinding(kind, severity, test, window, verdict.Observed, verdict.Expected, verdict.PValue,
            verdict.Attempts, SignalBook.Samples(state, startMinute), cardTesting, now - window, now));
        if (severity == FindingSeverity.Page)
        {
            state.LastPageAt = now;
            state.Open = true;
        }
        else
        {
            state.LastWarnAt = now;
        }
    }

    private bool Within(DateTimeOffset? at, DateTimeOffset now) => at is { } t && now - t < _options.Cooldown;

    // A count test cannot page before the account's usual volume is known: a new account's first busy hour is not
    // an anomaly. Rate and dispute tests rest on meaningful global priors and page from the start.
    private SurgeTests.Verdict WarmedUp(CountBaseline baseline, SurgeTests.Verdict verdict) =>
        baseline.Hours < _options.CountPageWarmup.TotalHours ? SurgeTests.AtMostWarn(verdict) : verdict;

    // Accounts whose events never include successes (an endpoint subscribed to failures only) have no failure rate:
    // they are judged on failure counts instead.
    private bool ReceivesSuccesses() =>
        !(State.FailureRate.Attempts >= _options.FailureRatePriorAttempts &&
          State.FailureRate.Failures >= 0.95 * State.FailureRate.Attempts);

    private void Roll()
    {
        if (State.FirstHour == 0)
        {
            return;
        }

        var failures = State.PaymentFailuresKind;
        foreach (var hour in HoursToFold(failures, _options.FailureLongWindow))
        {
            var counts = _book.Hour(hour);
            Baselines.Fold(State.Failures, hour, counts.Failures, _options.PriorFailuresPerHour, _options);
            Baselines.Fold(State.FailureRate, counts.Failures, counts.Attempts, _options);
        }

        foreach (var hour in HoursToFold(State.RefundsKind, _options.RefundWindow))
        {
            Baselines.Fold(State.Refunds, hour, _book.Hour(hour).Refunds, _options.PriorRefundsPerHour, _options);
        }

        foreach (var hour in HoursToFold(State.DisputesKind, _options.DisputeWindow))
        {
            Baselines.Fold(State.Disputes, hour, _book.Hour(hour).Frauds, DisputePrior(), _options);
        }
    }

    // Disputes follow payments: a new account's expected disputes grow with its payment attempts per hour.
    private double DisputePrior()
    {
        var attemptsPerHour = State.Failures.Weight > 0 ? State.FailureRate.Attempts / State.Failures.Weight : 0;
        return Math.Max(_options.PriorDisputesPerHour, _options.PriorDisputesPerAttempt * attemptsPerHour);
    }

    // The finished hours that have left the kind's window (after the roll lag), minus those of an open or resolved
    // anomaly: those are skipped, so attacks do not poison the baseline. After a long silence only the last 31 days
    // are folded one by one: older hours would have decayed to nothing.
    private IEnumerable<long> HoursToFold(KindState kind, TimeSpan window)
    {
        var target = (State.NewestMinute - (long)(_options.RollLag + window).TotalMinutes) / 60;
        var from = Math.Max(Math.Max(kind.RolledHour, State.FirstHour), target - SignalBook.DayHorizon * 24);
        kind.RolledHour = Math.Max(kind.RolledHour, target);
        for (var hour = from; hour < target; hour++)
        {
            if (!kind.Open && hour > kind.SkipThroughHour)
            {
                yield return hour;
            }
        }
    }

    private KindState? KindStateOf(SignalKind kind) => kind switch
    {
        SignalKind.PaymentFailed => State.PaymentFailuresKind,
        SignalKind.Refund => State.RefundsKind,
        SignalKind.Dispute or SignalKind.EarlyFraudWarning => State.DisputesKind,
        _ => null,
    };

    private KindState KindStateOf(string kind) => kind switch
    {
        AnomalyKinds.PaymentFailures => State.PaymentFailuresKind,
        AnomalyKinds.Refunds => State.RefundsKind,
        AnomalyKinds.Disputes => State.DisputesKind,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not one of AnomalyKinds"),
    };
}
