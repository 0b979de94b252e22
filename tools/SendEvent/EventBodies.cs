using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Billing.StripeSamples;

namespace Billing.SendEvent;

/// <summary>The bodies one run sends: samples built in code, or an event file (rewritten only when asked).</summary>
internal static class EventBodies
{
    /// <summary>
    /// <see cref="SendEventOptions.Count"/> sample events created at <paramref name="now"/>, each with its own id.
    /// </summary>
    public static IReadOnlyList<string> Samples(SendEventOptions options, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(options);
        var request = new SampleEventRequest(options.Type!, options.Customer!, now.ToUnixTimeSeconds(), options.Status,
            options.PreviousStatus, options.Price, options.Features, options.Account, options.Subscription, options.Amount);
        return [.. Enumerable.Range(0, options.Count).Select(_ => SampleEvents.Build(request))];
    }

    /// <summary>
    /// The file's event. Sent byte for byte (even invalid JSON, to try the gateway's 400) unless --new-id,
    /// --customer or --account asks for a rewrite.
    /// </summary>
    /// <returns>The body, or null and why it cannot be rewritten.</returns>
    public static (string? Body, string? Error) FromFile(SendEventOptions options, string payload)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.NewId && options.Customer is null && options.Account is null)
        {
            return (payload, null);
        }

        if (TryParse(payload) is not JsonObject stripeEvent || stripeEvent["data"]?["object"] is not JsonObject dataObject)
        {
            return (null, $"{options.File} is not a Stripe event (no data.object)");
        }

        if (options.NewId)
        {
            stripeEvent["id"] = "evt_" + RandomNumberGenerator.GetString("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 24);
        }

        if (options.Customer is not null)
        {
            // customer.* events are about the customer object itself; every other event names its customer.
            var property = (string?)dataObject["object"] == "customer" ? "id" : "customer";
            dataObject[property] = options.Customer;
        }

        if (options.Account is not null)
        {
            stripeEvent["account"] = options.Account;
        }

        return (stripeEvent.ToJsonString(new() { WriteIndented = true }), null);
    }

    /// <summary>The JSON of a body, or null when it is not JSON.</summary>
    public static JsonNode? TryParse(string json)
    {
        try
        {
            return JsonNode.Parse(json);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
