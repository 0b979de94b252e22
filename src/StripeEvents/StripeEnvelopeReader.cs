using System.Collections.Immutable;
using System.Text.Json;
using Billing.Grains.Events;
using static Billing.StripeEvents.JsonFields;

namespace Billing.StripeEvents;

/// <summary>
/// Reads the few fields billing needs straight from the event JSON. Stripe.net's typed parse rejects events of
/// other API versions and cannot read some old shapes (KNOWN.md); Stripe sends them all the same, so the gateway
/// never depends on it. Old and new shapes are both read here (e.g. the invoice's subscription moved in 2025).
/// </summary>
public static class StripeEnvelopeReader
{
    /// <summary>The longest customer key or event id accepted (the gRPC contract's limit).</summary>
    public const int MaxIdLength = 255;

    /// <summary>
    /// Reads a verified webhook body, or one event of an Events API page. <paramref name="account"/> is the connected
    /// account the event was read from (its <c>Stripe-Account</c>), used when the event does not name one itself.
    /// </summary>
    public static EnvelopeReadResult Read(ReadOnlyMemory<byte> body, string? account = null)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            return EnvelopeReadResult.Invalid("body is not JSON");
        }

        using (document)
        {
            return Read(document.RootElement, account);
        }
    }

    /// <summary>
    /// Reads a subscription object as Stripe's API returns it (a list item or a retrieve), for imports and
    /// reconciliation: its customer and the snapshot the fold applies. Null when it names no id, status or customer.
    /// </summary>
    public static (string CustomerId, SubscriptionSnapshot Snapshot)? ReadSubscription(JsonElement subscription)
    {
        if (subscription.ValueKind != JsonValueKind.Object || IdOf(subscription, "customer") is not { Length: > 0 } customer ||
            Subscription(subscription, default, StripeEventKind.SubscriptionChanged) is not { } snapshot)
        {
            return null;
        }

        return (customer, snapshot);
    }

    /// <summary>The customer key of <paramref name="customer"/>: <c>acct_…/cus_…</c> when read from a connected account.</summary>
    public static string CustomerKeyOf(string? account, string customer) => CustomerKey(account, customer)!;

    /// <summary>Reads one event already parsed (an item of an Events API page); see <see cref="Read(ReadOnlyMemory{byte}, string?)"/>.</summary>
    public static EnvelopeReadResult Read(JsonElement root, string? defaultAccount)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return EnvelopeReadResult.Invalid("not a Stripe event: the body is not a JSON object");
        }

        if (String(root, "id") is not { Length: > 0 and <= MaxIdLength } id)
        {
            return EnvelopeReadResult.Invalid("not a Stripe event: no id");
        }

        if (String(root, "type") is not { Length: > 0 } type)
        {
            return EnvelopeReadResult.Invalid("not a Stripe event: no type");
        }

        if (!root.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object ||
            !data.TryGetProperty("object", out var dataObject) || dataObject.ValueKind != JsonValueKind.Object)
        {
            return EnvelopeReadResult.Invalid("not a Stripe event: no data.object");
        }

        var livemode = root.TryGetProperty("livemode", out var live) && live.ValueKind == JsonValueKind.True;
        var customerKey = CustomerKey(String(root, "account") ?? defaultAccount, CustomerOf(type, dataObject));
        if (customerKey is { Length: > MaxIdLength })
        {
            return EnvelopeReadResult.Invalid("not a Stripe event: customer id too long");
        }

        StripeEvent? stripeEvent = null;
        if (customerKey is not null && StripeEventTypes.KindOf(type) is { } kind)
        {
            var created = Int64(root, "created") ?? 0;
            data.TryGetProperty("previous_attributes", out var previous);
            stripeEvent = Facts(new StripeEvent(id, type, kind, created), dataObject, previous);
        }

        return new EnvelopeReadResult(id, livemode, customerKey, stripeEvent, null, type);
    }

    // customer.created|updated|deleted carry the customer itself; every other event names it in "customer". A dispute
    // names no customer, only its charge (and payment intent): it belongs to a customer only when the event carries
    // that charge or payment intent expanded, with its customer. Nothing is looked up.
    private static string? CustomerOf(string type, JsonElement dataObject)
    {
        var objectType = String(dataObject, "object");
        var isCustomer = objectType is not null
            ? objectType == "customer"
            : type is "customer.created" or "customer.updated" or "customer.deleted";
        if (isCustomer)
        {
            return String(dataObject, "id");
        }

        if (objectType == "dispute" || (objectType is null && type.StartsWith("charge.dispute.", StringComparison.Ordinal)))
        {
            return (TryObject(dataObject, "charge", out var charge) ? IdOf(charge, "customer") : null) ??
                   (TryObject(dataObject, "payment_intent", out var intent) ? IdOf(intent, "customer") : null);
        }

        return IdOf(dataObject, "customer");
    }

    private static string? CustomerKey(string? account, string? customer) =>
        customer is not { Length: > 0 } ? null
        : account is { Length: > 0 } ? $"{account}/{customer}"
        : customer;

    private static StripeEvent Facts(StripeEvent stripeEvent, JsonElement dataObject, JsonElement previous) =>
        stripeEvent.Kind switch
        {
            StripeEventKind.SubscriptionChanged or StripeEventKind.SubscriptionDeleted or StripeEventKind.TrialWillEnd =>
                stripeEvent with { Subscription = Subscription(dataObject, previous, stripeEvent.Kind) },
            StripeEventKind.InvoicePaid or StripeEventKind.InvoicePaymentFailed =>
                stripeEvent with { Invoice = Invoice(dataObject) },
            StripeEventKind.EntitlementSummaryUpdated =>
                stripeEvent with { EntitlementSummary = Summary(dataObject) },
            StripeEventKind.ChargeRefunded =>
                stripeEvent with { Charge = new ChargeFacts(String(dataObject, "id"), Int64(dataObject, "amount_refunded"), String(dataObject, "currency")) },
            StripeEventKind.ChargeDisputed =>
                stripeEvent with { Charge = new ChargeFacts(IdOf(dataObject, "charge"), Int64(dataObject, "amount"), String(dataObject, "currency")) },
            _ => stripeEvent,
        };

    private static SubscriptionSnapshot? Subscription(JsonElement subscription, JsonElement previous, StripeEventKind kind)
    {
        if (String(subscription, "id") is not { } id)
        {
            return null;
        }

        var status = String(subscription, "status") ?? (kind == StripeEventKind.SubscriptionDeleted ? "canceled" : null);
        if (status is null)
        {
            return null;
        }

        var previousStatus = previous.ValueKind == JsonValueKind.Object ? String(previous, "status") : null;
        var cancelAtPeriodEnd = subscription.TryGetProperty("cancel_at_period_end", out var atPeriodEnd) && atPeriodEnd.ValueKind == JsonValueKind.True;
        return new SubscriptionSnapshot(id, status, previousStatus, Items(subscription), Int64(subscription, "trial_end"),
            cancelAtPeriodEnd, Int64(subscription, "cancel_at"), ChurnSignals.HasPaymentMethod(subscription),
            ChurnSignals.Downgraded(subscription, previous));
    }

    private static ImmutableArray<SubscriptionItem> Items(JsonElement subscription)
    {
        if (!subscription.TryGetProperty("items", out var items) || items.ValueKind != JsonValueKind.Object ||
            !items.TryGetProperty("data", out var list) || list.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        var result = ImmutableArray.CreateBuilder<SubscriptionItem>();
        foreach (var item in list.EnumerateArray())
        {
            // Items bill a price; before prices existed (and still, alongside) they carried a plan.
            if (item.ValueKind != JsonValueKind.Object ||
                !(TryObject(item, "price", out var price) || TryObject(item, "plan", out price)))
            {
                continue;
            }

            result.Add(new SubscriptionItem(
                String(price, "id"),
                String(price, "lookup_key"),
                IdOf(price, "product"),
                MetadataFeatures(price)));
        }

        return result.ToImmutable();
    }

    private static ImmutableArray<string> MetadataFeatures(JsonElement price) =>
        TryObject(price, "metadata", out var metadata) && String(metadata, "features") is { } features
            ? [.. features.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)]
            : [];

    private static InvoiceFacts Invoice(JsonElement invoice)
    {
        // Before 2025 the subscription sat on the invoice; since basil it is under parent.subscription_details.
        var subscriptionId = IdOf(invoice, "subscription");
        if (subscriptionId is null && TryObject(invoice, "parent", out var parent) &&
            TryObject(parent, "subscription_details", out var details))
        {
            subscriptionId = IdOf(details, "subscription");
        }

        // next_payment_attempt null: Stripe will not retry this invoice (the last attempt, or no retries configured).
        bool? finalAttempt = !invoice.TryGetProperty("next_payment_attempt", out var next) ? null
            : next.ValueKind == JsonValueKind.Null ? true
            : next.ValueKind == JsonValueKind.Number ? false
            : null;
        var attempts = Int64(invoice, "attempt_count") is { } count and >= 0 and <= int.MaxValue ? (int)count : (int?)null;
        return new InvoiceFacts(String(invoice, "id"), subscriptionId, Int64(invoice, "amount_due"), String(invoice, "currency"),
            String(invoice, "hosted_invoice_url"), attempts, finalAttempt);
    }

    private static EntitlementSummary Summary(JsonElement summary)
    {
        var keys = ImmutableArray.CreateBuilder<string>();
        if (TryObject(summary, "entitlements", out var entitlements) &&
            entitlements.TryGetProperty("data", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var entitlement in list.EnumerateArray())
            {
                if (entitlement.ValueKind == JsonValueKind.Object && String(entitlement, "lookup_key") is { Length: > 0 } key)
                {
                    keys.Add(key);
                }
            }
        }

        return new EntitlementSummary(keys.ToImmutable());
    }
}
