using Billing.StripeSamples;
using Billing.V1;

namespace Billing.Resilience.Tests.Infrastructure;

/// <summary>
/// One customer's lifecycle: its events in order (each a second after the previous one) and the entitlements they
/// must end in. Sent one after another (the next only after the previous got a 2xx), so the version is exactly
/// the number of changes along the way.
/// </summary>
internal sealed record CustomerScript(string CustomerId, IReadOnlyList<ScriptedEvent> Events, AccessState Access, string[] Features, long Version)
{
    /// <summary>Customer number <paramref name="index"/>: one of three lifecycles, 3 or 4 events.</summary>
    public static CustomerScript For(int index, string runId)
    {
        var customer = $"cus_{runId}_{index:D5}";
        var subscription = $"sub_{runId}_{index:D5}";
        var created = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 3600;
        var events = new List<ScriptedEvent>();

        void Add(Func<string, string> body)
        {
            var id = StripeEventJson.NewEventId();
            events.Add(new ScriptedEvent(id, customer, body(id)));
        }

        string Subscription(string eventId, string type, string status, string? previous, string features, int second) =>
            StripeEventJson.Subscription(customer, subscription, status, created + second, type, previous, eventId, metadataFeatures: features);

        switch (index % 3)
        {
            case 0:
                // trialing (v1 ACTIVE a,b) → active (no change) → past_due (v2 GRACE a,b)
                Add(id => Subscription(id, "customer.subscription.created", "trialing", null, "a,b", 0));
                Add(id => Subscription(id, "customer.subscription.updated", "active", "trialing", "a,b", 1));
                Add(id => Subscription(id, "customer.subscription.updated", "past_due", "active", "a,b", 2));
                return new(customer, events, AccessState.Grace, ["a", "b"], 2);
            case 1:
                // active (v1 ACTIVE a) → new plan (v2 ACTIVE a,c) → deleted (v3 NONE)
                Add(id => Subscription(id, "customer.subscription.created", "active", null, "a", 0));
                Add(id => Subscription(id, "customer.subscription.updated", "active", null, "a,c", 1));
                Add(id => Subscription(id, "customer.subscription.deleted", "canceled", "active", "a,c", 2));
                return new(customer, events, AccessState.None, [], 3);
            default:
                // active (v1 ACTIVE b) → past_due (v2 GRACE b) → payment failed (no change) → active again (v3 ACTIVE b)
                Add(id => Subscription(id, "customer.subscription.created", "active", null, "b", 0));
                Add(id => Subscription(id, "customer.subscription.updated", "past_due", "active", "b", 1));
                Add(id => StripeEventJson.Invoice(customer, "invoice.payment_failed", created + 2, id));
                Add(id => Subscription(id, "customer.subscription.updated", "active", "past_due", "b", 3));
                return new(customer, events, AccessState.Active, ["b"], 3);
        }
    }
}

/// <summary>One signed-at-send-time Stripe event of a script.</summary>
internal sealed record ScriptedEvent(string Id, string CustomerId, string Body);
