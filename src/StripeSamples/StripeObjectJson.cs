using System.Text.Json.Nodes;

namespace Billing.StripeSamples;

/// <summary>
/// Builds Stripe API objects (not events) the way Stripe returns them in the current API shape, for the stub's
/// state and for event bodies: one builder, so a subscription looks the same in a list page and in an event.
/// </summary>
public static class StripeObjectJson
{
    /// <summary>
    /// A subscription object with one item whose price carries <paramref name="priceId"/>, the lookup key and,
    /// when given, <c>metadata.features</c>.
    /// </summary>
    public static string Subscription(string id, string customerId, string status, long created, string priceId = "price_pro",
        string? lookupKey = null, string? metadataFeatures = null, long? trialEnd = null)
    {
        var subscription = SubscriptionNode(id, customerId, status, created, priceId, lookupKey, metadataFeatures);
        subscription["livemode"] = false;
        subscription["trial_end"] = trialEnd;
        return subscription.ToJsonString();
    }

    /// <summary>Wraps an object's JSON in an event envelope (see <see cref="StripeEventJson.Envelope"/>).</summary>
    public static string EventOf(string type, string dataObjectJson, long created, string? eventId = null, string? account = null)
    {
        ArgumentNullException.ThrowIfNull(dataObjectJson);
        var dataObject = JsonNode.Parse(dataObjectJson) as JsonObject
            ?? throw new ArgumentException("The data object must be a JSON object.", nameof(dataObjectJson));
        return StripeEventJson.Envelope(type, dataObject, created, eventId, account: account);
    }

    /// <summary>
    /// The subscription node both builders share. <paramref name="created"/> is left out when null: event bodies
    /// built before the stub existed carried none, and keeping them byte-for-byte keeps the benchmarks comparable.
    /// </summary>
    internal static JsonObject SubscriptionNode(string id, string customerId, string status, long? created, string priceId,
        string? lookupKey, string? metadataFeatures)
    {
        var price = new JsonObject
        {
            ["id"] = priceId,
            ["object"] = "price",
            ["lookup_key"] = lookupKey,
            ["product"] = "prod_test",
            ["metadata"] = metadataFeatures is null ? new JsonObject() : new JsonObject { ["features"] = metadataFeatures },
        };
        var subscription = new JsonObject { ["id"] = id, ["object"] = "subscription" };
        if (created is { } seconds)
        {
            subscription["created"] = seconds;
        }

        subscription["customer"] = customerId;
        subscription["status"] = status;
        subscription["items"] = new JsonObject
        {
            ["object"] = "list",
            ["data"] = new JsonArray(new JsonObject { ["id"] = "si_test", ["object"] = "subscription_item", ["price"] = price }),
        };
        return subscription;
    }
}
