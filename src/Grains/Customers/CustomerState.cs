using Billing.Grains.Subscriptions;

namespace Billing.Grains.Customers;

/// <summary>
/// What the fold of a customer's journal holds: the facts received from Stripe (subscriptions, invoices, the
/// entitlement summary) and what was derived from them. Plain data (System.Text.Json): it is part of snapshots and of
/// the entry that carried a customer over from the state rows of earlier versions.
/// </summary>
public sealed class CustomerState
{
    /// <summary>The latest snapshot of each subscription, by subscription id.</summary>
    public Dictionary<string, SubscriptionRecord> Subscriptions { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Failed and successful payments: when dunning began.</summary>
    public DunningRecord Dunning { get; set; } = new();

    /// <summary>Churn-risk signals that are not part of a subscription: refunds, disputes, downgrades.</summary>
    public RiskSignals Risk { get; set; } = new();

    /// <summary>The latest Stripe Entitlements summary, when one arrived.</summary>
    public EntitlementSummaryRecord? EntitlementSummary { get; set; }

    /// <summary><c>customer.deleted</c> arrived: no access, for good.</summary>
    public bool Deleted { get; set; }

    /// <summary>The derived access.</summary>
    public AccessState Access { get; set; } = AccessState.None;

    /// <summary>The derived features, sorted and distinct.</summary>
    public List<string> Features { get; set; } = [];

    /// <summary>While in grace: when access becomes suspended (the journal's sweeper then wakes the customer).</summary>
    public DateTimeOffset? GraceEndsAt { get; set; }

    /// <summary>Grows by one with every change of <see cref="Access"/> or <see cref="Features"/>.</summary>
    public long Version { get; set; }

    /// <summary>When <see cref="Access"/> or <see cref="Features"/> last changed.</summary>
    public DateTimeOffset UpdatedAt { get; set; } = DateTimeOffset.UnixEpoch;
}
