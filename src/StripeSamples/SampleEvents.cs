using System.Text.Json.Nodes;

namespace Billing.StripeSamples;

/// <summary>
/// Realistic Stripe events built in code, for trying a running stack without Stripe or the shared fixtures
/// (<c>tools/SendEvent --type …</c>): the event envelope of <see cref="StripeEventJson"/> around current-API objects.
/// </summary>
public static class SampleEvents
{
    /// <summary>The features a sample subscription's price grants when none are asked for.</summary>
    public static readonly IReadOnlyList<string> DefaultFeatures = ["reports", "exports"];

    /// <summary>The amount of a sample invoice, charge or dispute when none is asked for (USD 20.00).</summary>
    public const long DefaultAmount = 2000;

    /// <summary>The price of a sample subscription when none is asked for.</summary>
    public const string DefaultPriceId = "price_pro";

    /// <summary>The event types a sample can be built for.</summary>
    public static IReadOnlyList<string> Types { get; } =
    [
        "customer.subscription.created",
        "customer.subscription.updated",
        "customer.subscription.deleted",
        "customer.subscription.trial_will_end",
        "invoice.payment_failed",
        "invoice.paid",
        "entitlements.active_entitlement_summary.updated",
        "customer.deleted",
        "charge.failed",
        "charge.succeeded",
        "charge.refunded",
        "charge.dispute.created",
    ];

    /// <summary>True when <paramref name="type"/> is one of <see cref="Types"/>.</summary>
    public static bool Supports(string type) => Types.Contains(type, StringComparer.Ordinal);

    /// <summary>
    /// The subscription of a customer's samples when none is named: derived from the customer id, so a created, an
    /// updated and a deleted sample for <c>cus_demo</c> are all about <c>sub_demo</c>.
    /// </summary>
    public static string DefaultSubscriptionId(string customerId)
    {
        ArgumentException.ThrowIfNullOrEmpty(customerId);
        return "sub_" + (customerId.StartsWith("cus_", StringComparison.Ordinal) ? customerId[4..] : customerId);
    }

    /// <summary>The subscription status a type implies when none is asked for.</summary>
    public static string DefaultStatus(string type) => type switch
    {
        "customer.subscription.deleted" => "canceled",
        "customer.subscription.trial_will_end" => "trialing",
        _ => "active",
    };

    /// <summary>The event's JSON body, as Stripe would post it (compact, UTF-8 when encoded).</summary>
    /// <exception cref="ArgumentException">The type is not one of <see cref="Types"/>.</exception>
    public static string Build(SampleEventRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrEmpty(request.CustomerId);
        var amount = request.Amount ?? DefaultAmount;
        var subscriptionId = request.SubscriptionId ?? DefaultSubscriptionId(request.CustomerId);
        JsonObject? previous = null;
        var dataObject = request.Type switch
        {
            "customer.subscription.created" or "customer.subscription.updated" or "customer.subscription.deleted"
                or "customer.subscription.trial_will_end" => SampleObjects.Subscription(request, subscriptionId,
                    request.Status ?? DefaultStatus(request.Type), request.PriceId ?? DefaultPriceId,
                    request.Features ?? DefaultFeatures, amount),
            "invoice.payment_failed" => SampleObjects.Invoice(request, subscriptionId, paid: false, amount),
            "invoice.paid" => SampleObjects.Invoice(request, subscriptionId, paid: true, amount),
            "entitlements.active_entitlement_summary.updated" =>
                SampleObjects.EntitlementSummary(request, request.Features ?? DefaultFeatures),
            "customer.deleted" => SampleObjects.Customer(request),
            "charge.failed" => SampleObjects.Charge(request, "failed", amount),
            "charge.succeeded" => SampleObjects.Charge(request, "succeeded", amount),
            "charge.refunded" => SampleObjects.Charge(request, "refunded", amount),
            "charge.dispute.created" => SampleObjects.Dispute(request, amount),
            _ => throw new ArgumentException(
                $"No sample for event type '{request.Type}'; one of: {string.Join(", ", Types)}.", nameof(request)),
        };

        if (request.Type == "customer.subscription.updated")
        {
            // Stripe lists what changed; a status given as the previous one, else a cancellation that was taken back.
            previous = request.PreviousStatus is { } previousStatus
                ? new JsonObject { ["status"] = previousStatus }
                : new JsonObject { ["cancel_at_period_end"] = true };
        }
        else if (request.Type == "charge.refunded")
        {
            previous = new JsonObject { ["amount_refunded"] = 0, ["refunded"] = false };
        }

        var envelope = StripeEventJson.EnvelopeNode(request.Type, dataObject, request.Created,
            request.EventId ?? SampleObjects.NewId("evt"), previous, request.Account, livemode: false);
        // As in an event caused by an API call (a dashboard action carries a null id).
        envelope["request"] = new JsonObject { ["id"] = SampleObjects.NewId("req"), ["idempotency_key"] = Guid.NewGuid().ToString() };
        return envelope.ToJsonString();
    }
}
