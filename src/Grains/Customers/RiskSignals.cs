namespace Billing.Grains.Customers;

/// <summary>
/// Churn-risk signals that belong to the customer rather than to one subscription, each the <c>created</c> of the
/// latest such event (Unix seconds), so that the state is the same whatever order the events arrive in. Absent from
/// snapshots written before churn risk: each is then null.
/// </summary>
public sealed class RiskSignals
{
    /// <summary>The latest <c>charge.refunded</c>.</summary>
    public long? LastRefundAt { get; set; }

    /// <summary>The latest <c>charge.dispute.created</c> that named this customer.</summary>
    public long? LastDisputeAt { get; set; }

    /// <summary>The latest subscription event whose <c>previous_attributes</c> showed a downgrade.</summary>
    public long? LastDowngradeAt { get; set; }
}
