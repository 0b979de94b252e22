namespace Billing.Bench.LoadGenerator.Webhooks;

/// <summary>A finished webhook load: the numbers, the level, and what the target acknowledged (for the consistency check).</summary>
internal sealed record WebhookRun(WebhookResult Result, WebhookLevel Level, DeliveryLedger Ledger);
