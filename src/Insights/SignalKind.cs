namespace Billing.Insights;

/// <summary>What one Stripe event says happened, as far as anomaly detection cares.</summary>
[GenerateSerializer]
[Alias("billing.SignalKind")]
public enum SignalKind
{
    /// <summary>A payment or card-setup attempt failed (charge, payment intent, invoice or setup intent).</summary>
    PaymentFailed,

    /// <summary>A payment or card-setup attempt succeeded: the denominator of the failure rate.</summary>
    PaymentSucceeded,

    /// <summary>Money was refunded (<c>charge.refunded</c>, <c>refund.created</c>).</summary>
    Refund,

    /// <summary>A dispute was opened (<c>charge.dispute.created</c>).</summary>
    Dispute,

    /// <summary>The issuer reported fraud (<c>radar.early_fraud_warning.created</c>), often before a dispute.</summary>
    EarlyFraudWarning,
}
