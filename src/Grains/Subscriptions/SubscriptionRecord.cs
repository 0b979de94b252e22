using Billing.Grains.Events;

namespace Billing.Grains.Subscriptions;

/// <summary>What the customer grain keeps of one subscription: its latest snapshot, and when it went past due.</summary>
public sealed class SubscriptionRecord
{
    /// <summary>The status of the latest snapshot.</summary>
    public required string Status { get; set; }

    /// <summary>The previous status the latest snapshot's event reported, if it changed the status.</summary>
    public string? PreviousStatus { get; set; }

    /// <summary>The <c>created</c> of the latest snapshot's event.</summary>
    public long Created { get; set; }

    /// <summary>The latest snapshot's event id (a last, deterministic tie-break).</summary>
    public required string EventId { get; set; }

    /// <summary><c>customer.subscription.deleted</c> arrived: nothing changes this subscription again.</summary>
    public bool Final { get; set; }

    /// <summary>The items of the latest snapshot.</summary>
    public List<SubscriptionItem> Items { get; set; } = [];

    /// <summary>The trial end of the latest snapshot (Unix seconds).</summary>
    public long? TrialEnd { get; set; }

    /// <summary>The latest snapshot's <c>cancel_at_period_end</c>.</summary>
    public bool CancelAtPeriodEnd { get; set; }

    /// <summary>The latest snapshot's <c>cancel_at</c> (Unix seconds).</summary>
    public long? CancelAt { get; set; }

    /// <summary>Whether the latest snapshot showed a payment method for the next invoice; null when it did not say.</summary>
    public bool? HasPaymentMethod { get; set; }

    /// <summary>The latest <c>created</c> of a snapshot that showed any status other than <c>past_due</c>.</summary>
    public long? LastNotPastDueAt { get; set; }

    /// <summary>The <c>created</c> of every snapshot showing <c>past_due</c> since <see cref="LastNotPastDueAt"/>.</summary>
    public SortedSet<long> PastDueSeenAt { get; set; } = [];

    /// <summary>The first event that showed this subscription past due in its current stretch of being so.</summary>
    public long? PastDueSince => PastDueSeenAt.Count > 0 ? PastDueSeenAt.Min : null;
}
