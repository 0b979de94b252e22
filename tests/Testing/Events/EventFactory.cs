using System.Collections.Immutable;
using Billing.Grains.Events;

namespace Billing.Testing.Events;

/// <summary>Builds the facts the gateway hands to a customer grain, tersely.</summary>
public static class EventFactory
{
    private static int _sequence;

    public static string NextId() => $"evt_{Interlocked.Increment(ref _sequence):D8}";

    public static StripeEvent Subscription(string subscriptionId, string status, long created, string? previousStatus = null,
        string? eventId = null, params SubscriptionItem[] items) =>
        new(eventId ?? NextId(), "customer.subscription.updated", StripeEventKind.SubscriptionChanged, created,
            Subscription: new SubscriptionSnapshot(subscriptionId, status, previousStatus, [.. items]));

    public static StripeEvent SubscriptionDeleted(string subscriptionId, long created, string? eventId = null) =>
        new(eventId ?? NextId(), "customer.subscription.deleted", StripeEventKind.SubscriptionDeleted, created,
            Subscription: new SubscriptionSnapshot(subscriptionId, "canceled", null, []));

    public static StripeEvent PaymentFailed(long created, string? eventId = null) =>
        new(eventId ?? NextId(), "invoice.payment_failed", StripeEventKind.InvoicePaymentFailed, created,
            Invoice: new InvoiceFacts("in_1", "sub_1", 2000, "usd", "https://invoice.example/1"));

    public static StripeEvent Paid(long created, string? eventId = null) =>
        new(eventId ?? NextId(), "invoice.paid", StripeEventKind.InvoicePaid, created,
            Invoice: new InvoiceFacts("in_1", "sub_1", 2000, "usd", null));

    public static StripeEvent Summary(long created, params string[] lookupKeys) =>
        new(NextId(), "entitlements.active_entitlement_summary.updated", StripeEventKind.EntitlementSummaryUpdated, created,
            EntitlementSummary: new EntitlementSummary([.. lookupKeys]));

    public static StripeEvent CustomerDeleted(long created) =>
        new(NextId(), "customer.deleted", StripeEventKind.CustomerDeleted, created);

    public static SubscriptionItem Item(string? priceId = null, string? lookupKey = null, string? productId = null,
        params string[] metadataFeatures) =>
        new(priceId, lookupKey, productId, [.. metadataFeatures]);

    public static SubscriptionItem Features(params string[] features) => Item("price_x", null, "prod_x", features);

    public static ImmutableArray<string> Sorted(params string[] values) => [.. values.Order(StringComparer.Ordinal)];
}
