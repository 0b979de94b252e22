namespace Billing.Grains.Subscriptions;

/// <summary>Stripe's subscription statuses and what they mean to access.</summary>
public static class SubscriptionStatus
{
    /// <summary>Stripe's <c>active</c>.</summary>
    public const string Active = "active";

    /// <summary>Stripe's <c>trialing</c>.</summary>
    public const string Trialing = "trialing";

    /// <summary>Stripe's <c>past_due</c>.</summary>
    public const string PastDue = "past_due";

    /// <summary>Stripe's <c>unpaid</c>.</summary>
    public const string Unpaid = "unpaid";

    /// <summary>Stripe's <c>paused</c>.</summary>
    public const string Paused = "paused";

    /// <summary>Stripe's <c>canceled</c>.</summary>
    public const string Canceled = "canceled";

    // The contract's tie-break for snapshots of one second that previous_attributes cannot order: later wins.
    private static readonly string[] TieBreakOrder =
        ["incomplete", Trialing, Active, PastDue, Unpaid, Paused, "incomplete_expired", Canceled];

    /// <summary>The status's place in the contract's tie-break order; unknown statuses come first.</summary>
    public static int TieBreakRank(string status) => Array.IndexOf(TieBreakOrder, status);

    /// <summary>Whether the status grants access by itself.</summary>
    public static bool GrantsAccess(string status) => status is Active or Trialing;

    /// <summary>Whether the status suspends access at once.</summary>
    public static bool Suspends(string status) => status is Unpaid or Paused;
}
