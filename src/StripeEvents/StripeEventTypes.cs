using System.Collections.Frozen;
using Billing.Grains.Events;

namespace Billing.StripeEvents;

/// <summary>The Stripe event types billing uses; every other type is acknowledged as <c>ignored</c>.</summary>
public static class StripeEventTypes
{
    private static readonly FrozenDictionary<string, StripeEventKind> Kinds = new Dictionary<string, StripeEventKind>
    {
        ["customer.subscription.created"] = StripeEventKind.SubscriptionChanged,
        ["customer.subscription.updated"] = StripeEventKind.SubscriptionChanged,
        ["customer.subscription.paused"] = StripeEventKind.SubscriptionChanged,
        ["customer.subscription.resumed"] = StripeEventKind.SubscriptionChanged,
        ["customer.subscription.pending_update_applied"] = StripeEventKind.SubscriptionChanged,
        ["customer.subscription.pending_update_expired"] = StripeEventKind.SubscriptionChanged,
        ["customer.subscription.deleted"] = StripeEventKind.SubscriptionDeleted,
        ["customer.subscription.trial_will_end"] = StripeEventKind.TrialWillEnd,
        ["invoice.payment_failed"] = StripeEventKind.InvoicePaymentFailed,
        ["invoice.paid"] = StripeEventKind.InvoicePaid,
        ["invoice.payment_succeeded"] = StripeEventKind.InvoicePaid,
        ["entitlements.active_entitlement_summary.updated"] = StripeEventKind.EntitlementSummaryUpdated,
        ["customer.deleted"] = StripeEventKind.CustomerDeleted,
        ["charge.refunded"] = StripeEventKind.ChargeRefunded,
        ["charge.dispute.created"] = StripeEventKind.ChargeDisputed,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Every type billing uses, in a fixed order (the Events API filter: at most 20 per request).</summary>
    public static IReadOnlyList<string> All { get; } = [.. Kinds.Keys.Order(StringComparer.Ordinal)];

    /// <summary>What <paramref name="type"/> means to billing, or null when billing does not use it.</summary>
    public static StripeEventKind? KindOf(string type) => Kinds.TryGetValue(type, out var kind) ? kind : null;
}
