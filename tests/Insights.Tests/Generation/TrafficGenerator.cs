namespace Billing.Insights.Tests.Generation;

/// <summary>
/// Generates an account's quiet traffic hour by hour: Poisson counts whose rate follows a daily sine and a weekend
/// dip, multiplied each hour by a Gamma(k, 1/k) draw (over-dispersion: variance μ + μ²/k), and a failure rate that
/// also wobbles from hour to hour. Event ids are unique per generator.
/// </summary>
public sealed class TrafficGenerator(AccountProfile profile, int seed)
{
    private readonly Sampler _sampler = new(seed);
    private long _next;

    /// <summary>The account's events in the hour starting at <paramref name="hourStart"/>, in time order.</summary>
    public List<SignalObservation> Hour(DateTimeOffset hourStart, double volumeMultiplier = 1)
    {
        var seasonal = Seasonality(hourStart) * _sampler.GammaMeanOne(profile.DispersionShape) * volumeMultiplier;
        var attempts = _sampler.Poisson(profile.AttemptsPerHour * seasonal);
        var failureRate = Math.Min(0.9, profile.FailureRate * _sampler.GammaMeanOne(20));
        var failures = _sampler.Binomial(attempts, failureRate);
        var events = new List<SignalObservation>(attempts + 4);
        for (var i = 0; i < attempts; i++)
        {
            events.Add(i < failures ? Failure(At(hourStart)) : Success(At(hourStart)));
        }

        for (var i = _sampler.Poisson(profile.RefundsPerHour * seasonal); i > 0; i--)
        {
            events.Add(Event(SignalKind.Refund, At(hourStart), "re_"));
        }

        for (var i = _sampler.Poisson(profile.DisputesPerHour * seasonal); i > 0; i--)
        {
            events.Add(Event(SignalKind.Dispute, At(hourStart), "ch_"));
        }

        events.Sort((a, b) => a.At.CompareTo(b.At));
        return events;
    }

    /// <summary>A failed payment of an ordinary amount.</summary>
    public SignalObservation Failure(DateTimeOffset at) =>
        Event(SignalKind.PaymentFailed, at, "ch_") with { AmountMinor = 2_000 + _sampler.Next(8_000), DeclineCode = "generic_decline" };

    /// <summary>A successful payment.</summary>
    public SignalObservation Success(DateTimeOffset at) =>
        Event(SignalKind.PaymentSucceeded, at, "ch_") with { AmountMinor = 2_000 + _sampler.Next(8_000) };

    /// <summary>A card tester's probe: a failed card setup or a small charge, with a CVC or card-number decline.</summary>
    public SignalObservation Probe(DateTimeOffset at) =>
        _sampler.Uniform() < 0.5
            ? Event(SignalKind.PaymentFailed, at, "setatt_") with { SetupIntent = true, DeclineCode = "incorrect_cvc", Currency = null }
            : Event(SignalKind.PaymentFailed, at, "ch_") with { AmountMinor = 50 + _sampler.Next(100), DeclineCode = "incorrect_number" };

    /// <summary>One event of <paramref name="kind"/> with fresh ids.</summary>
    public SignalObservation Event(SignalKind kind, DateTimeOffset at, string keyPrefix)
    {
        var n = ++_next;
        return new SignalObservation($"evt_{profile.Account}_{n}", profile.Account, kind, at, $"{keyPrefix}{profile.Account}_{n}", Currency: "usd");
    }

    private DateTimeOffset At(DateTimeOffset hourStart) => hourStart.AddSeconds(_sampler.Next(3600));

    private double Seasonality(DateTimeOffset hourStart)
    {
        var daily = 1 + profile.DailyAmplitude * Math.Sin(2 * Math.PI * (hourStart.Hour - 9) / 24.0);
        var weekly = hourStart.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday ? profile.WeekendFactor : 1;
        return daily * weekly;
    }
}
