namespace Billing.Gateway.Webhooks;

/// <summary>The 200 answer: <c>{"id":"evt_…","status":"applied"|"duplicate"|"ignored"}</c>.</summary>
public sealed record WebhookAnswer(string Id, string Status);
