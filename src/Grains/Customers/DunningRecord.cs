namespace Billing.Grains.Customers;

/// <summary>
/// Payments as sets rather than a running clock, so that the start of dunning is the same whatever order the
/// invoice events arrive in.
/// </summary>
public sealed class DunningRecord
{
    /// <summary>The <c>created</c> of the latest payment (<c>invoice.paid</c> / <c>invoice.payment_succeeded</c>).</summary>
    public long? LastPaymentAt { get; set; }

    /// <summary>The <c>created</c> of every <c>invoice.payment_failed</c> after <see cref="LastPaymentAt"/>.</summary>
    public SortedSet<long> FailuresSinceLastPayment { get; set; } = [];

    /// <summary>
    /// The <c>created</c> of the latest <c>invoice.payment_failed</c> after <see cref="LastPaymentAt"/> after which Stripe
    /// will not retry (<c>next_payment_attempt</c> null); null when there is none.
    /// </summary>
    public long? FinalFailureAt { get; set; }

    /// <summary>When dunning began by invoices: the first failure not followed by a payment, if any.</summary>
    public long? FirstUnpaidFailureAt => FailuresSinceLastPayment.Count > 0 ? FailuresSinceLastPayment.Min : null;
}
