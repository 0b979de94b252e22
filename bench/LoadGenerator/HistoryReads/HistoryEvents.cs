using Billing.Bench.LoadGenerator.Events;

namespace Billing.Bench.LoadGenerator.HistoryReads;

/// <summary>
/// A long, valid history of one customer: one subscription, created active, then a repeating round of a renewal
/// (<c>invoice.paid</c>), a failed payment (<c>past_due</c>, then recovered), a plan change and a plain update. So
/// about half the entries change the entitlements (grace, active again, other features) and as_of answers differ
/// from instant to instant. Every event has its own id and the next <c>created</c> second.
/// </summary>
internal static class HistoryEvents
{
    private const string SubscriptionId = "sub_history_1";

    /// <summary>The <paramref name="count"/> events of customer index 0, ids tagged <paramref name="runTag"/>.</summary>
    public static List<PlannedEvent> Plan(int count, string runTag, long firstCreated)
    {
        var events = new List<PlannedEvent>(count);
        var price = 0;
        var status = "active";
        for (var i = 0; i < count; i++)
        {
            var eventId = $"evt_{runTag}h{i}";
            var created = firstCreated + i;
            if (i == 0)
            {
                events.Add(Subscription(eventId, "customer.subscription.created", created, status, null, price));
                continue;
            }

            switch (i % 6)
            {
                case 0:
                    events.Add(new PlannedEvent(eventId, 0, "invoice.paid", created));
                    break;
                case 1:
                    events.Add(new PlannedEvent(eventId, 0, "invoice.payment_failed", created));
                    break;
                case 2:
                    events.Add(Subscription(eventId, "customer.subscription.updated", created, "past_due", status, price));
                    status = "past_due";
                    break;
                case 3:
                    events.Add(Subscription(eventId, "customer.subscription.updated", created, "active", status, price));
                    status = "active";
                    break;
                case 4:
                    price = (price + 1) % BenchCatalog.PriceIds.Length;
                    events.Add(Subscription(eventId, "customer.subscription.updated", created, status, null, price));
                    break;
                default:
                    events.Add(Subscription(eventId, "customer.subscription.updated", created, status, null, price));
                    break;
            }
        }

        return events;
    }

    private static PlannedEvent Subscription(string eventId, string type, long created, string status, string? previousStatus, int price) =>
        new(eventId, 0, type, created, SubscriptionId, status, previousStatus == status ? null : previousStatus, BenchCatalog.PriceIds[price]);
}
