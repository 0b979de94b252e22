using System.Globalization;
using Billing.Grains.Customers;
using Billing.Grains.Subscriptions;

namespace Billing.Grains.Risk;

/// <summary>
/// A transparent, heuristic churn-risk score: a fixed number of points per signal Stripe's events show, summed, with
/// the reasons listed. Not a prediction: it says which known warning signs a customer shows now. Pure (the state and
/// <c>now</c> in, the assessment out), so it is tested without a cluster and computed wherever the state is.
/// </summary>
public static class ChurnRisk
{
    /// <summary>A subscription is <c>past_due</c> (or <c>unpaid</c>).</summary>
    public const int PastDuePoints = 40;

    /// <summary>Per failed payment attempt since the last payment.</summary>
    public const int FailedAttemptPoints = 10;

    /// <summary>At most this many points for failed attempts.</summary>
    public const int FailedAttemptsCap = 30;

    /// <summary>A failed payment after which Stripe will not retry.</summary>
    public const int FinalAttemptPoints = 30;

    /// <summary>A trial ends within <see cref="TrialWindow"/> and no payment method would pay the first invoice.</summary>
    public const int TrialWithoutPaymentMethodPoints = 50;

    /// <summary>A downgrade within <see cref="DowngradeWindow"/>.</summary>
    public const int DowngradePoints = 20;

    /// <summary>A dispute attributed to the customer within <see cref="DisputeWindow"/>.</summary>
    public const int DisputePoints = 50;

    /// <summary>A refund within <see cref="RefundWindow"/>.</summary>
    public const int RefundPoints = 10;

    /// <summary>How close a trial's end must be to count.</summary>
    public static readonly TimeSpan TrialWindow = TimeSpan.FromDays(3);

    /// <summary>How long a downgrade counts.</summary>
    public static readonly TimeSpan DowngradeWindow = TimeSpan.FromDays(30);

    /// <summary>How long a refund counts.</summary>
    public static readonly TimeSpan RefundWindow = TimeSpan.FromDays(30);

    /// <summary>How long a dispute counts (Stripe's dispute process runs for up to about 75 days).</summary>
    public static readonly TimeSpan DisputeWindow = TimeSpan.FromDays(90);

    /// <summary>
    /// The assessment of <paramref name="state"/> at <paramref name="now"/>. A deleted customer, or one whose every
    /// subscription has ended, has none: they have churned already.
    /// </summary>
    public static RiskAssessment Assess(CustomerState state, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        var live = state.Subscriptions.Where(pair => IsLive(pair.Value)).OrderBy(pair => pair.Key, StringComparer.Ordinal).ToList();
        if (state.Deleted || (state.Subscriptions.Count > 0 && live.Count == 0))
        {
            return RiskAssessment.None;
        }

        List<RiskReason> reasons = [];
        if (live.FirstOrDefault(pair => pair.Value.Status is SubscriptionStatus.PastDue or SubscriptionStatus.Unpaid) is { Key: { } pastDueId } pastDue)
        {
            reasons.Add(new RiskReason("past_due", PastDuePoints, $"subscription {pastDueId} is {pastDue.Value.Status}"));
        }

        var failures = state.Dunning.FailuresSinceLastPayment.Count;
        if (failures > 0)
        {
            reasons.Add(new RiskReason("failed_payments", Math.Min(failures * FailedAttemptPoints, FailedAttemptsCap),
                failures == 1 ? "1 failed payment attempt since the last payment" : Invariant($"{failures} failed payment attempts since the last payment")));
        }

        if (state.Dunning.FinalFailureAt is { } final)
        {
            reasons.Add(new RiskReason("final_attempt_failed", FinalAttemptPoints,
                Invariant($"a payment failed on {Day(final)} and Stripe will not retry it")));
        }

        if (TrialEndingWithoutPaymentMethod(live, now) is { } trial)
        {
            reasons.Add(trial);
        }

        AddRecent(reasons, "downgrade", DowngradePoints, state.Risk.LastDowngradeAt, DowngradeWindow, now, "a subscription was downgraded on");
        AddRecent(reasons, "dispute", DisputePoints, state.Risk.LastDisputeAt, DisputeWindow, now, "a payment was disputed on");
        AddRecent(reasons, "refund", RefundPoints, state.Risk.LastRefundAt, RefundWindow, now, "a charge was refunded on");

        var cancelling = live.Any(pair => pair.Value.CancelAtPeriodEnd || pair.Value.CancelAt is not null);
        return RiskAssessment.Of(reasons, cancelling);
    }

    // Not ended: a deleted subscription, or one canceled or expired, no longer churns.
    private static bool IsLive(SubscriptionRecord record) =>
        !record.Final && record.Status is not (SubscriptionStatus.Canceled or "incomplete_expired");

    private static RiskReason? TrialEndingWithoutPaymentMethod(List<KeyValuePair<string, SubscriptionRecord>> live, DateTimeOffset now)
    {
        foreach (var (id, record) in live)
        {
            if (record.Status == SubscriptionStatus.Trialing && record.HasPaymentMethod == false && record.TrialEnd is { } end &&
                DateTimeOffset.FromUnixTimeSeconds(end) is var endsAt && endsAt > now && endsAt - now <= TrialWindow)
            {
                return new RiskReason("trial_ending_without_payment_method", TrialWithoutPaymentMethodPoints,
                    Invariant($"the trial of subscription {id} ends on {Day(end)} and no payment method is set"), endsAt);
            }
        }

        return null;
    }

    private static void AddRecent(List<RiskReason> reasons, string code, int points, long? at, TimeSpan window, DateTimeOffset now, string detail)
    {
        if (at is { } seconds && DateTimeOffset.FromUnixTimeSeconds(seconds) + window is var expires && expires > now)
        {
            reasons.Add(new RiskReason(code, points, $"{detail} {Day(seconds)}", expires));
        }
    }

    private static string Day(long unixSeconds) =>
        DateTimeOffset.FromUnixTimeSeconds(unixSeconds).UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
