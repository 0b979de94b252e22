using System.Collections.Immutable;

namespace Billing.Grains.Risk;

/// <summary>
/// A heuristic churn-risk assessment of one customer: a transparent score (the sum of its reasons' points), its band,
/// and whether a cancellation is scheduled (shown as its own state, not as points).
/// </summary>
/// <param name="Score">The sum of the reasons' points.</param>
/// <param name="Band">The band of <paramref name="Score"/>.</param>
/// <param name="Cancelling">A subscription is set to cancel (<c>cancel_at_period_end</c> or <c>cancel_at</c>).</param>
/// <param name="Reasons">Why, largest first.</param>
[GenerateSerializer]
[Immutable]
[Alias("billing.RiskAssessment")]
public sealed record RiskAssessment(
    [property: Id(0)] int Score,
    [property: Id(1)] RiskBand Band,
    [property: Id(2)] bool Cancelling,
    [property: Id(3)] ImmutableArray<RiskReason> Reasons)
{
    /// <summary>Points at or above which a score is <see cref="RiskBand.High"/>.</summary>
    public const int HighFrom = 70;

    /// <summary>Points at or above which a score is <see cref="RiskBand.Medium"/>.</summary>
    public const int MediumFrom = 40;

    /// <summary>No risk, no scheduled cancellation.</summary>
    public static RiskAssessment None { get; } = new(0, RiskBand.None, false, []);

    /// <summary>Nothing to show: no points and no scheduled cancellation (such a customer is not in the at-risk list).</summary>
    public bool IsEmpty => Score == 0 && !Cancelling;

    /// <summary>The band of <paramref name="score"/>.</summary>
    public static RiskBand BandOf(int score) => score >= HighFrom ? RiskBand.High : score >= MediumFrom ? RiskBand.Medium : score > 0 ? RiskBand.Low : RiskBand.None;

    /// <summary>An assessment of <paramref name="reasons"/> (sorted largest first, then by code).</summary>
    public static RiskAssessment Of(IEnumerable<RiskReason> reasons, bool cancelling)
    {
        ArgumentNullException.ThrowIfNull(reasons);
        var sorted = reasons.OrderByDescending(r => r.Points).ThenBy(r => r.Code, StringComparer.Ordinal).ToImmutableArray();
        var score = sorted.Sum(r => r.Points);
        return new RiskAssessment(score, BandOf(score), cancelling, sorted);
    }

    /// <summary>
    /// The assessment as of <paramref name="now"/>: reasons whose window has passed are dropped and the score recomputed.
    /// Reasons that would start later (a trial entering its last 3 days) are not added: Stripe sends an event then.
    /// </summary>
    public RiskAssessment At(DateTimeOffset now) =>
        Reasons.All(r => r.ExpiresAt is not { } expires || expires > now) ? this : Of(Reasons.Where(r => r.ExpiresAt is not { } expires || expires > now), Cancelling);

    /// <summary>When the assessment next changes by itself (a reason's window ends); null when none does.</summary>
    public DateTimeOffset? ExpiresAt => Reasons.Where(r => r.ExpiresAt is not null).Select(r => r.ExpiresAt).Min();

    /// <summary>When nothing is left to show by itself: the last reason's window ends, no lasting reason, not cancelling. Null otherwise.</summary>
    public DateTimeOffset? EmptyAt => Cancelling || Reasons.Any(r => r.ExpiresAt is null) ? null : Reasons.Max(r => r.ExpiresAt);

    /// <summary>Whether <paramref name="other"/> says the same (score, band, cancelling, and each reason).</summary>
    public bool SameAs(RiskAssessment? other) =>
        other is not null && other.Score == Score && other.Cancelling == Cancelling && other.Reasons.SequenceEqual(Reasons);
}
