namespace Billing.Testing.Stripe;

/// <summary>
/// One request the stub received, faulted ones included: what it asked (query decoded, without <c>?</c>), with which
/// <c>Stripe-Account</c> and <c>Stripe-Version</c>, the status it got, and when it arrived (real UTC time, not the
/// stub's clock: call budgets and rates are about real time).
/// </summary>
public sealed record StubRequest(string Method, string Path, string Query, string? StripeAccount, string? StripeVersion, int Status,
    DateTimeOffset At);
