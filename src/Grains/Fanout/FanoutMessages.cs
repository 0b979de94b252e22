using Billing.Grains.Customers;
using Billing.Grains.Events;

namespace Billing.Grains.Fanout;

/// <summary>Which messages a change or an event fans out. Pure: the grain decides when, this decides what.</summary>
public static class FanoutMessages
{
    /// <summary>
    /// The fulfillment message of a change, and a suspension notice when access became suspended (its id is the
    /// causing event, or <c>{customer}:{version}</c> when the grace timer suspended).
    /// </summary>
    public static IEnumerable<IFanoutMessage> ForChange(string customerId, DateTimeOffset now, EntitlementsSnapshot previous,
        EntitlementsSnapshot current, string? causedBy)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(current);
        var id = $"{customerId}:{current.Version}";
        yield return new EntitlementsChanged(id, customerId, now.ToUnixTimeSeconds(), current, previous);

        if (current.Access == AccessState.Suspended && previous.Access != AccessState.Suspended)
        {
            yield return new CustomerNotification(causedBy ?? id, NotificationKind.AccessSuspended, customerId, now.ToUnixTimeSeconds());
        }
    }

    /// <summary>The notification an event calls for, if any, given the state before and after it.</summary>
    public static CustomerNotification? ForEvent(string customerId, StripeEvent stripeEvent, FactsBefore before, CustomerState after)
    {
        ArgumentNullException.ThrowIfNull(stripeEvent);
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var invoice = stripeEvent.Invoice;
        return stripeEvent.Kind switch
        {
            // A failure older than the latest payment is history, not news.
            StripeEventKind.InvoicePaymentFailed when after.Dunning.FailuresSinceLastPayment.Contains(stripeEvent.Created) =>
                Notification(NotificationKind.PaymentFailed),
            StripeEventKind.InvoicePaid when before.InDunning && after.Dunning.FailuresSinceLastPayment.Count == 0 =>
                Notification(NotificationKind.PaymentRecovered),
            StripeEventKind.TrialWillEnd =>
                Notification(NotificationKind.TrialWillEnd),
            StripeEventKind.SubscriptionDeleted when !before.SubscriptionFinal =>
                Notification(NotificationKind.SubscriptionCanceled),
            _ => null,
        };

        CustomerNotification Notification(NotificationKind kind) => new(
            stripeEvent.Id, kind, customerId, stripeEvent.Created,
            invoice?.AmountDue, invoice?.Currency, invoice?.HostedInvoiceUrl,
            stripeEvent.Subscription?.Id ?? invoice?.SubscriptionId, stripeEvent.Subscription?.TrialEnd);
    }
}
