namespace Billing.Bench.LoadGenerator.Events;

/// <summary>Where a customer's current subscription is in its lifecycle.</summary>
internal enum SubscriptionPhase
{
    /// <summary>No live subscription (never had one, or the last was canceled).</summary>
    None,

    /// <summary><c>trialing</c>.</summary>
    Trialing,

    /// <summary><c>active</c>.</summary>
    Active,

    /// <summary><c>past_due</c>: a payment failed.</summary>
    PastDue,

    /// <summary><c>unpaid</c>: retries ran out.</summary>
    Unpaid,
}
