namespace Billing.Grains.Events;

/// <summary>The kinds of Stripe event that change a customer's billing state.</summary>
[GenerateSerializer]
[Alias("billing.StripeEventKind")]
public enum StripeEventKind
{
    /// <summary><c>customer.subscription.created|updated|paused|resumed|pending_update_*</c>: a new snapshot.</summary>
    SubscriptionChanged = 0,

    /// <summary><c>customer.subscription.deleted</c>: final for that subscription.</summary>
    SubscriptionDeleted = 1,

    /// <summary><c>customer.subscription.trial_will_end</c>: a snapshot, and a reminder to the customer.</summary>
    TrialWillEnd = 2,

    /// <summary><c>invoice.payment_failed</c>: starts (or continues) dunning.</summary>
    InvoicePaymentFailed = 3,

    /// <summary><c>invoice.paid</c> / <c>invoice.payment_succeeded</c>: ends dunning.</summary>
    InvoicePaid = 4,

    /// <summary><c>entitlements.active_entitlement_summary.updated</c>: replaces the previous summary.</summary>
    EntitlementSummaryUpdated = 5,

    /// <summary><c>customer.deleted</c>: removes all access for good.</summary>
    CustomerDeleted = 6,

    /// <summary><c>charge.refunded</c>: a refund, a churn-risk signal.</summary>
    ChargeRefunded = 7,

    /// <summary><c>charge.dispute.created</c> whose payload names the customer (an expanded charge): a churn-risk signal.</summary>
    ChargeDisputed = 8,
}
