namespace Billing.Bench.NaiveBaseline;

/// <summary>The same answer shape as the product's webhook, so the load generator reads both alike.</summary>
public sealed record WebhookAnswer(string Id, string Status);
