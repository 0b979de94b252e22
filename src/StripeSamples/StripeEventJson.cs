using System.Text.Json;
using System.Text.Json.Nodes;

namespace Billing.StripeSamples;

/// <summary>Builds Stripe event bodies the way Stripe writes them (current API shape unless said otherwise).</summary>
public static class StripeEventJson
{
    /// <summary>A fresh event id.</summary>
    public static string NewEventId() => $"evt_test_{Guid.NewGuid():N}";

    /// <summary>A fresh customer id.</summary>
    public static string NewCustomerId() => $"cus_test_{Guid.NewGuid():N}"[..26];

    /// <summary>A <c>customer.subscription.*</c> event.</summary>
    public static string Subscription(string customerId, string subscriptionId, string status, long created,
        string type = "customer.subscription.updated", string? previousStatus = null, string? eventId = null,
        string priceId = "price_pro", string? lookupKey = null, string? metadataFeatures = null, string? account = null)
    {
        var subscription = StripeObjectJson.SubscriptionNode(subscriptionId, customerId, status, created: null, priceId, lookupKey,
            metadataFeatures);
        var previous = previousStatus is null ? null : new JsonObject { ["status"] = previousStatus };
        return Envelope(type, subscription, created, eventId, previous, account);
    }

    /// <summary>An <c>invoice.*</c> event.</summary>
    public static string Invoice(string customerId, string type, long created, string? eventId = null, long amountDue = 2000) =>
        Envelope(type, new JsonObject
        {
            ["id"] = $"in_{Guid.NewGuid():N}"[..20],
            ["object"] = "invoice",
            ["customer"] = customerId,
            ["amount_due"] = amountDue,
            ["currency"] = "usd",
            ["hosted_invoice_url"] = "https://invoice.stripe.com/i/test",
        }, created, eventId);

    /// <summary>Wraps <paramref name="dataObject"/> in an event envelope.</summary>
    public static string Envelope(string type, JsonObject dataObject, long created, string? eventId = null,
        JsonObject? previousAttributes = null, string? account = null, bool livemode = false) =>
        EnvelopeNode(type, dataObject, created, eventId, previousAttributes, account, livemode).ToJsonString();

    /// <summary>The envelope of <see cref="Envelope"/> as a node, for builders that add to it.</summary>
    internal static JsonObject EnvelopeNode(string type, JsonObject dataObject, long created, string? eventId,
        JsonObject? previousAttributes, string? account, bool livemode)
    {
        var data = new JsonObject { ["object"] = dataObject };
        if (previousAttributes is not null)
        {
            data["previous_attributes"] = previousAttributes;
        }

        var envelope = new JsonObject
        {
            ["id"] = eventId ?? NewEventId(),
            ["object"] = "event",
            ["api_version"] = "2026-10-28.endive",
            ["created"] = created,
            ["type"] = type,
            ["livemode"] = livemode,
            ["pending_webhooks"] = 1,
            ["data"] = data,
        };
        if (account is not null)
        {
            envelope["account"] = account;
        }

        return envelope;
    }

    /// <summary>Rewrites a fixture's event id (fixtures share ids) and, optionally, its customer.</summary>
    public static string WithIds(string json, string eventId, string? customerId = null)
    {
        var node = JsonNode.Parse(json)!.AsObject();
        node["id"] = eventId;
        if (customerId is not null && node["data"]?["object"] is JsonObject dataObject)
        {
            if ((string?)dataObject["object"] == "customer")
            {
                dataObject["id"] = customerId;
            }
            else if (dataObject.ContainsKey("customer"))
            {
                dataObject["customer"] = customerId;
            }
        }

        return node.ToJsonString(new JsonSerializerOptions { WriteIndented = false });
    }
}
