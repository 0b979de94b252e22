namespace Billing.Testing.Stripe;

/// <summary>The ways the stub can misbehave on purpose (see <see cref="StubFault"/>).</summary>
public enum StubFaultKind
{
    /// <summary>429 with <c>Stripe-Rate-Limited-Reason</c>.</summary>
    RateLimited,

    /// <summary>429 with <c>code: lock_timeout</c> (an object lock, not a rate).</summary>
    LockTimeout,

    /// <summary>A JSON <c>api_error</c> with a 5xx status, optionally with <c>Stripe-Should-Retry</c>.</summary>
    ServerError,

    /// <summary>502 with an HTML body, as a proxy in front of Stripe answers.</summary>
    BadGateway,

    /// <summary>The normal answer, late.</summary>
    Slow,
}
