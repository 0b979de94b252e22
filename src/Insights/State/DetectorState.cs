namespace Billing.Insights.State;

/// <summary>
/// Everything one account's detector remembers, as plain classes System.Text.Json round-trips (the host stores it
/// as grain state). Bounded whatever the traffic: minute buckets for 25 hours, day buckets for 31 days, three
/// baselines of 168 hour-of-week slots, dedupe hashes for 72 hours (at most
/// <see cref="DetectionOptions.MaxRememberedKeys"/>), at
/// most 10 sample event ids per kind.
/// </summary>
public sealed class DetectorState
{
    /// <summary>The account (<c>acct_…</c> or <c>platform</c>); set by the first observation.</summary>
    public string? Account { get; set; }

    /// <summary>The newest minute seen (an event's time or an evaluation's), minutes since the Unix epoch.</summary>
    public long NewestMinute { get; set; }

    /// <summary>The hour of the first event (hours since the Unix epoch): the account's history starts there; 0 before any.</summary>
    public long FirstHour { get; set; }

    /// <summary>Signal counts per minute for the last 25 hours, oldest first, only minutes with events.</summary>
    public List<MinuteBucket> Minutes { get; set; } = [];

    /// <summary>Successful payments and disputes per day for the last 31 days (the dispute ratio), oldest first.</summary>
    public List<DayBucket> Days { get; set; } = [];

    /// <summary>Minutes of the disputes and early fraud warnings of the last 26 hours (one per charge), oldest first.</summary>
    public List<long> FraudMinutes { get; set; } = [];

    /// <summary>Baseline of payment failures per hour.</summary>
    public CountBaseline Failures { get; set; } = new();

    /// <summary>Baseline of refunds per hour.</summary>
    public CountBaseline Refunds { get; set; } = new();

    /// <summary>Baseline of disputes and early fraud warnings per hour.</summary>
    public CountBaseline Disputes { get; set; } = new();

    /// <summary>Decayed failures and attempts: the account's own failure rate.</summary>
    public RateBaseline FailureRate { get; set; } = new();

    /// <summary>Lifecycle of payment-failure findings.</summary>
    public KindState PaymentFailuresKind { get; set; } = new();

    /// <summary>Lifecycle of refund findings.</summary>
    public KindState RefundsKind { get; set; } = new();

    /// <summary>Lifecycle of dispute findings.</summary>
    public KindState DisputesKind { get; set; } = new();

    /// <summary>
    /// Hashes of the event ids and payment keys already counted, grouped by the hour their events were created,
    /// oldest first: kept for <see cref="DetectionOptions.DedupeHorizon"/>, at most
    /// <see cref="DetectionOptions.MaxRememberedKeys"/>.
    /// </summary>
    public List<SeenKeyHour> SeenKeys { get; set; } = [];

    /// <summary>For each key class (f, s, r, d), the newest minute a precise (non-fallback) key was seen.</summary>
    public Dictionary<string, long> PreciseKeySeenMinute { get; set; } = [];
}
