using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace Billing.StripeSamples;

/// <summary>
/// The API objects of sample events, in the shape Stripe's current API version writes them (periods on subscription
/// items, an invoice's subscription under <c>parent.subscription_details</c>). No personal data: names, emails and
/// addresses are null, as for a customer created with an id only.
/// </summary>
internal static class SampleObjects
{
    private const string IdAlphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private const long Day = 86_400;

    /// <summary>A fresh id in Stripe's style: prefix, underscore, 24 letters and digits.</summary>
    public static string NewId(string prefix) => $"{prefix}_{RandomNumberGenerator.GetString(IdAlphabet, 24)}";

    /// <summary>A subscription a month into its period (or in its trial), with one monthly item.</summary>
    public static JsonObject Subscription(SampleEventRequest request, string subscriptionId, string status, string priceId,
        IReadOnlyList<string> features, long amount)
    {
        var start = request.Created - (30 * Day);
        var subscription = StripeObjectJson.SubscriptionNode(subscriptionId, request.CustomerId, status, start, priceId,
            lookupKey: null, features.Count == 0 ? null : string.Join(',', features));
        var trialing = status == "trialing";
        var periodStart = trialing ? start : request.Created - Day;
        var periodEnd = trialing ? request.Created + (3 * Day) : periodStart + (30 * Day);

        var item = (JsonObject)subscription["items"]!["data"]![0]!;
        item["id"] = NewId("si");
        item["created"] = start;
        item["current_period_start"] = periodStart;
        item["current_period_end"] = periodEnd;
        item["quantity"] = 1;
        item["subscription"] = subscriptionId;
        var price = (JsonObject)item["price"]!;
        price["active"] = true;
        price["currency"] = "usd";
        price["livemode"] = false;
        price["product"] = "prod_" + priceId.Replace("price_", "", StringComparison.Ordinal);
        price["recurring"] = new JsonObject { ["interval"] = "month", ["interval_count"] = 1, ["usage_type"] = "licensed" };
        price["type"] = "recurring";
        price["unit_amount"] = amount;
        subscription["items"]!["has_more"] = false;

        subscription["billing_cycle_anchor"] = start;
        subscription["cancel_at"] = null;
        subscription["cancel_at_period_end"] = false;
        subscription["canceled_at"] = status == "canceled" ? request.Created : null;
        subscription["collection_method"] = "charge_automatically";
        subscription["currency"] = "usd";
        subscription["default_payment_method"] = trialing ? null : NewId("pm");
        subscription["ended_at"] = status == "canceled" ? request.Created : null;
        subscription["latest_invoice"] = NewId("in");
        subscription["livemode"] = false;
        subscription["metadata"] = new JsonObject();
        subscription["start_date"] = start;
        subscription["trial_end"] = trialing ? periodEnd : null;
        subscription["trial_start"] = trialing ? start : null;
        return subscription;
    }

    /// <summary>A subscription's monthly invoice, paid or with a failed first attempt.</summary>
    public static JsonObject Invoice(SampleEventRequest request, string subscriptionId, bool paid, long amount)
    {
        var id = NewId("in");
        return new JsonObject
        {
            ["id"] = id,
            ["object"] = "invoice",
            ["account_country"] = "US",
            ["amount_due"] = amount,
            ["amount_paid"] = paid ? amount : 0,
            ["amount_remaining"] = paid ? 0 : amount,
            ["attempt_count"] = 1,
            ["attempted"] = true,
            ["billing_reason"] = "subscription_cycle",
            ["collection_method"] = "charge_automatically",
            ["created"] = request.Created - 3_600,
            ["currency"] = "usd",
            ["customer"] = request.CustomerId,
            ["customer_email"] = null,
            ["customer_name"] = null,
            ["hosted_invoice_url"] = $"https://invoice.stripe.com/i/{request.Account ?? "acct_sample"}/test_{id[3..]}",
            ["livemode"] = false,
            ["next_payment_attempt"] = paid ? null : request.Created + (3 * Day),
            ["parent"] = new JsonObject
            {
                ["type"] = "subscription_details",
                ["quote_details"] = null,
                ["subscription_details"] = new JsonObject { ["metadata"] = new JsonObject(), ["subscription"] = subscriptionId },
            },
            ["period_end"] = request.Created - 3_600,
            ["period_start"] = request.Created - 3_600 - (30 * Day),
            ["status"] = paid ? "paid" : "open",
            ["status_transitions"] = new JsonObject
            {
                ["finalized_at"] = request.Created - 3_500,
                ["paid_at"] = paid ? request.Created : null,
            },
            ["total"] = amount,
        };
    }

    /// <summary>A card charge: succeeded, declined by the issuer, or refunded in full.</summary>
    public static JsonObject Charge(SampleEventRequest request, string outcome, long amount)
    {
        var failed = outcome == "failed";
        var refunded = outcome == "refunded";
        return new JsonObject
        {
            ["id"] = NewId("ch"),
            ["object"] = "charge",
            ["amount"] = amount,
            ["amount_captured"] = failed ? 0 : amount,
            ["amount_refunded"] = refunded ? amount : 0,
            ["balance_transaction"] = failed ? null : NewId("txn"),
            ["captured"] = !failed,
            ["created"] = request.Created,
            ["currency"] = "usd",
            ["customer"] = request.CustomerId,
            ["description"] = "Subscription update",
            ["disputed"] = false,
            ["failure_code"] = failed ? "card_declined" : null,
            ["failure_message"] = failed ? "Your card was declined." : null,
            ["livemode"] = false,
            ["metadata"] = new JsonObject(),
            ["outcome"] = failed
                ? Outcome("declined_by_network", "generic_decline", "issuer_declined",
                    "The bank did not return any further details with this decline.")
                : Outcome("approved_by_network", null, "authorized", "Payment complete."),
            ["paid"] = !failed,
            ["payment_intent"] = NewId("pi"),
            ["payment_method"] = NewId("pm"),
            ["payment_method_details"] = new JsonObject
            {
                ["type"] = "card",
                ["card"] = new JsonObject { ["brand"] = "visa", ["country"] = "US", ["funding"] = "credit", ["network"] = "visa" },
            },
            ["refunded"] = refunded,
            ["status"] = failed ? "failed" : "succeeded",
        };
    }

    /// <summary>
    /// A dispute just opened on a charge. Like Stripe's, it names the charge, not the customer: a dispute event
    /// belongs to no customer (its account is what counts).
    /// </summary>
    public static JsonObject Dispute(SampleEventRequest request, long amount) => new()
    {
        ["id"] = NewId("dp"),
        ["object"] = "dispute",
        ["amount"] = amount,
        ["balance_transactions"] = new JsonArray(),
        ["charge"] = NewId("ch"),
        ["created"] = request.Created,
        ["currency"] = "usd",
        ["evidence"] = new JsonObject { ["customer_email_address"] = null, ["product_description"] = null },
        ["evidence_details"] = new JsonObject
        {
            ["due_by"] = request.Created + (7 * Day),
            ["has_evidence"] = false,
            ["past_due"] = false,
            ["submission_count"] = 0,
        },
        ["is_charge_refundable"] = false,
        ["livemode"] = false,
        ["metadata"] = new JsonObject(),
        ["payment_intent"] = NewId("pi"),
        ["reason"] = "fraudulent",
        ["status"] = "needs_response",
    };

    /// <summary>A customer object as <c>customer.deleted</c> carries it (its last state).</summary>
    public static JsonObject Customer(SampleEventRequest request) => new()
    {
        ["id"] = request.CustomerId,
        ["object"] = "customer",
        ["address"] = null,
        ["balance"] = 0,
        ["created"] = request.Created - (90 * Day),
        ["currency"] = "usd",
        ["default_source"] = null,
        ["delinquent"] = false,
        ["description"] = null,
        ["email"] = null,
        ["invoice_prefix"] = RandomNumberGenerator.GetString("ABCDEF0123456789", 8),
        ["invoice_settings"] = new JsonObject { ["default_payment_method"] = null },
        ["livemode"] = false,
        ["metadata"] = new JsonObject(),
        ["name"] = null,
        ["phone"] = null,
    };

    /// <summary>The customer's active entitlements: one per feature lookup key.</summary>
    public static JsonObject EntitlementSummary(SampleEventRequest request, IReadOnlyList<string> lookupKeys)
    {
        var entitlements = new JsonArray();
        foreach (var key in lookupKeys)
        {
            entitlements.Add(new JsonObject
            {
                ["id"] = NewId("ent_test"),
                ["object"] = "entitlements.active_entitlement",
                ["feature"] = NewId("feat_test"),
                ["livemode"] = false,
                ["lookup_key"] = key,
            });
        }

        return new JsonObject
        {
            ["object"] = "entitlements.active_entitlement_summary",
            ["customer"] = request.CustomerId,
            ["entitlements"] = new JsonObject
            {
                ["object"] = "list",
                ["data"] = entitlements,
                ["has_more"] = false,
                ["url"] = $"/v1/customer/{request.CustomerId}/entitlements",
            },
            ["livemode"] = false,
        };
    }

    private static JsonObject Outcome(string networkStatus, string? reason, string type, string sellerMessage) => new()
    {
        ["network_status"] = networkStatus,
        ["reason"] = reason,
        ["risk_level"] = "normal",
        ["risk_score"] = 32,
        ["seller_message"] = sellerMessage,
        ["type"] = type,
    };
}
