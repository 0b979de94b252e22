namespace Billing.Bench.LoadGenerator.Webhooks;

/// <summary>What a webhook target is, which decides how its state is checked after the load.</summary>
internal enum WebhookTargetKind
{
    /// <summary>A Billing gateway: sampled customers' entitlements against their acknowledged events.</summary>
    Product,

    /// <summary>The naive baseline: its row count against the acknowledged event ids.</summary>
    Baseline,
}
