using Billing.Grains.Fanout;
using Billing.Grains.Subscriptions;

namespace Billing.Grains.Customers;

/// <summary>
/// The persisted state of one customer: the facts received from Stripe (subscriptions, invoices, the entitlement
/// summary) and what was derived from them. Serialized with System.Text.Json: keep it plain data.
/// </summary>
public sealed class CustomerState
{
    /// <summary>Event ids applied, with when they were applied (Unix seconds); pruned by age, see ADR 0002.</summary>
    public Dictionary<string, long> AppliedEvents { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The latest snapshot of each subscription, by subscription id.</summary>
    public Dictionary<string, SubscriptionRecord> Subscriptions { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Failed and successful payments: when dunning began.</summary>
    public DunningRecord Dunning { get; set; } = new();

    /// <summary>The latest Stripe Entitlements summary, when one arrived.</summary>
    public EntitlementSummaryRecord? EntitlementSummary { get; set; }

    /// <summary><c>customer.deleted</c> arrived: no access, for good.</summary>
    public bool Deleted { get; set; }

    /// <summary>The derived access, as last published.</summary>
    public AccessState Access { get; set; } = AccessState.None;

    /// <summary>The derived features, sorted and distinct, as last published.</summary>
    public List<string> Features { get; set; } = [];

    /// <summary>While in grace: when access becomes suspended, and the grace reminder is due.</summary>
    public DateTimeOffset? GraceEndsAt { get; set; }

    /// <summary>Grows by one with every change of <see cref="Access"/> or <see cref="Features"/>.</summary>
    public long Version { get; set; }

    /// <summary>When <see cref="Access"/> or <see cref="Features"/> last changed.</summary>
    public DateTimeOffset UpdatedAt { get; set; } = DateTimeOffset.UnixEpoch;

    /// <summary>Outbox: fulfillment messages not yet acknowledged by the fulfillment grain, in version order.</summary>
    public List<EntitlementsChanged> PendingFulfillment { get; set; } = [];

    /// <summary>Outbox: notifications not yet acknowledged by the notification grain.</summary>
    public List<CustomerNotification> PendingNotifications { get; set; } = [];

    /// <summary>Whether the outbox redelivery reminder is registered.</summary>
    public bool OutboxReminderRegistered { get; set; }
}
