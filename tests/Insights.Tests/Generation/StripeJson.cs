using System.Text;
using System.Text.Json.Nodes;

namespace Billing.Insights.Tests.Generation;

/// <summary>Builds Stripe event bodies in the shapes of several API versions (only the fields the reader looks at, plus noise).</summary>
public static class StripeJson
{
    /// <summary>Wraps <paramref name="dataObject"/> in an event envelope; <paramref name="account"/> makes it a Connect event.</summary>
    public static byte[] Event(string id, string type, JsonObject dataObject, string? account = null, long created = 1_780_000_000,
        string apiVersion = "2026-10-28.endive")
    {
        var root = new JsonObject
        {
            ["id"] = id,
            ["object"] = "event",
            ["api_version"] = apiVersion,
            ["created"] = created,
            ["type"] = type,
            ["livemode"] = false,
            ["data"] = new JsonObject { ["object"] = dataObject },
        };
        if (account is not null)
        {
            root["account"] = account;
        }

        return Encoding.UTF8.GetBytes(root.ToJsonString());
    }

    /// <summary>A failed charge with an outcome reason.</summary>
    public static JsonObject FailedCharge(string id, string paymentIntent, long amount, string reason) => new()
    {
        ["id"] = id,
        ["object"] = "charge",
        ["amount"] = amount,
        ["currency"] = "eur",
        ["payment_intent"] = paymentIntent,
        ["failure_code"] = "card_declined",
        ["outcome"] = new JsonObject { ["reason"] = reason, ["type"] = "issuer_declined" },
        ["billing_details"] = new JsonObject { ["email"] = "someone@example.com", ["name"] = "Some One" },
    };
}
