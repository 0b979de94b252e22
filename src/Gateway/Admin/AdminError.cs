namespace Billing.Gateway.Admin;

/// <summary>An admin route's refusal: a short machine-readable reason and a sentence for the operator.</summary>
public sealed record AdminError(string Error, string Message);
