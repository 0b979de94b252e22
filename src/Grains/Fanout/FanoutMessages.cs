using Billing.Grains.Customers;
using Billing.Grains.Events;
using Billing.Grains.Journal;

namespace Billing.Grains.Fanout;

/// <summary>Which messages an entry fans out. Pure: the fold decides when, this decides what.</summary>
public static class FanoutMessages
{
    /// <summary>Fulfillment's message for an entry that changed entitlements: one per version, id <c>{customer}:{version}</c>.</summary>
    public static EntitlementsChanged EntitlementsChangedOf(string customerId, DateTimeOffset recordedAt, JournalEffects effects)
    {
        ArgumentNullException.ThrowIfNull(effects);
        if (effects.Previous is not { } previous)
        {
            throw new ArgumentException("the entry did not change entitlements", nameof(effects));
        }

        return new EntitlementsChanged($"{customerId}:{effects.Version}", customerId, recordedAt.ToUnixTimeSeconds(), effects.Snapshot(), previous);
    }

    /// <summary>
    /// The suspension notice when access became suspended: its id is the causing event, or <c>{customer}:{version}</c>
    /// when the grace timer suspended.
    /// </summary>
    public static CustomerNotification? SuspensionOf(string customerId, DateTimeOffset recordedAt, EntitlementsSnapshot previous,
        CustomerState current, string? causedBy)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(current);
        return current.Access == AccessState.Suspended && previous.Access != AccessState.Suspended
            ? new CustomerNotification(causedBy ?? $"{customerId}:{current.Version}", NotificationKind.AccessSuspended, customerId,
                recordedAt.ToUnixTimeSeconds())
            : null;
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
