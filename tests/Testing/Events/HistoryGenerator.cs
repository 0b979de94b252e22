using Billing.Grains.Events;
using static Billing.Testing.Events.EventFactory;

namespace Billing.Testing.Events;

/// <summary>
/// Generates plausible customer histories in the order Stripe created them: subscriptions walking through their
/// lifecycle (sometimes several changes in one second, chained by previous_attributes as Stripe does), invoices
/// failing and being paid, entitlement summaries, and now and then the customer's deletion.
/// </summary>
public static class HistoryGenerator
{
    private const long Start = 1_700_000_000;

    private static readonly Dictionary<string, string[]> Transitions = new()
    {
        ["incomplete"] = ["active", "incomplete_expired", "trialing"],
        ["trialing"] = ["active", "past_due", "canceled", "paused"],
        ["active"] = ["past_due", "canceled", "paused", "active"],
        ["past_due"] = ["active", "unpaid", "canceled", "past_due"],
        ["unpaid"] = ["active", "canceled"],
        ["paused"] = ["active", "canceled"],
        ["incomplete_expired"] = [],
        ["canceled"] = [],
    };

    private static readonly string[] FeaturePool = ["api", "exports", "reports", "sso", "seats"];

    public static (List<StripeEvent> Events, Dictionary<string, string> FinalStatuses, long LastCreated) Generate(Random random)
    {
        var events = new List<StripeEvent>();
        var finalStatuses = new Dictionary<string, string>();
        var lastCreated = Start;

        var subscriptions = random.Next(1, 4);
        for (var s = 0; s < subscriptions; s++)
        {
            var id = $"sub_{s}";
            var created = Start + random.Next(0, 1000);
            string? previous = null;
            string? beforePrevious = null;
            var status = random.Next(3) switch { 0 => "incomplete", 1 => "trialing", _ => "active" };
            var sameSecondRun = 0;
            var steps = random.Next(1, 9);
            for (var step = 0; step < steps; step++)
            {
                events.Add(Subscription(id, status, created, previous, items: [Features(RandomFeatures(random))]));
                lastCreated = Math.Max(lastCreated, created);
                finalStatuses[id] = status;

                var next = Transitions[status];
                if (next.Length == 0)
                {
                    break;
                }

                beforePrevious = previous;
                previous = status;
                status = next[random.Next(next.Length)];

                // Two changes in one second are ordered by previous_attributes, as long as they do not form a
                // cycle (A->B->A), which the contract leaves to a fetch from Stripe.
                var sameSecond = sameSecondRun == 0 && status != previous && status != beforePrevious && random.Next(4) == 0;
                sameSecondRun = sameSecond ? 1 : 0;
                created += sameSecond ? 0 : random.Next(1, 200_000);
            }

            if (random.Next(5) == 0)
            {
                created += random.Next(0, 100_000);
                events.Add(SubscriptionDeleted(id, created));
                lastCreated = Math.Max(lastCreated, created);
                finalStatuses[id] = "canceled";
            }
        }

        var invoiceTime = Start;
        for (var i = random.Next(0, 6); i > 0; i--)
        {
            invoiceTime += random.Next(0, 300_000);
            events.Add(random.Next(2) == 0 ? PaymentFailed(invoiceTime) : Paid(invoiceTime));
            lastCreated = Math.Max(lastCreated, invoiceTime);
        }

        var summaryTime = Start;
        for (var i = random.Next(0, 3); i > 0; i--)
        {
            summaryTime += random.Next(1, 300_000);
            events.Add(Summary(summaryTime, RandomFeatures(random)));
            lastCreated = Math.Max(lastCreated, summaryTime);
        }

        if (random.Next(10) == 0)
        {
            lastCreated += random.Next(0, 1000);
            events.Add(CustomerDeleted(lastCreated));
        }

        // Stripe's order: by creation time (a stable sort keeps same-second chains in their generated order).
        return ([.. events.OrderBy(e => e.Created)], finalStatuses, lastCreated);
    }

    private static string[] RandomFeatures(Random random) =>
        [.. FeaturePool.Where(_ => random.Next(3) == 0)];
}
