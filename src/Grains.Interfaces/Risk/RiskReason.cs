namespace Billing.Grains.Risk;

/// <summary>One reason behind a churn-risk score. Ids, counts and dates only: never a name, email or card detail.</summary>
/// <param name="Code">What it is: <c>past_due</c>, <c>failed_payments</c>, <c>final_attempt_failed</c>,
/// <c>trial_ending_without_payment_method</c>, <c>downgrade</c>, <c>dispute</c>, <c>refund</c>.</param>
/// <param name="Points">What it adds to the score.</param>
/// <param name="Detail">A short explanation for operators.</param>
/// <param name="ExpiresAt">When the reason stops counting by itself (a 30-day window, a trial's end); null: it lasts until an event ends it.</param>
[GenerateSerializer]
[Immutable]
[Alias("billing.RiskReason")]
public sealed record RiskReason(
    [property: Id(0)] string Code,
    [property: Id(1)] int Points,
    [property: Id(2)] string Detail,
    [property: Id(3)] DateTimeOffset? ExpiresAt = null);
