namespace Billing.Gateway.Webhooks;

/// <summary>A refusal: a short machine-readable reason and a sentence for the human reading Stripe's dashboard.</summary>
public sealed record WebhookError(string Error, string Message);
