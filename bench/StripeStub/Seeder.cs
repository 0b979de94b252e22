using Billing.StripeSamples;
using Billing.Testing.Stripe;

namespace Billing.Bench.StripeStub;

/// <summary>
/// Fills an account with subscriptions that look like a real book of business: mostly active, some trialing,
/// past due or canceled, one customer each, created over the last year, Stripe-like ids, and plan features in the
/// price metadata on the plans that have them. Seeded, so two runs hold the same objects.
/// </summary>
internal sealed class Seeder(int seed)
{
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private static readonly (string PriceId, string LookupKey, string? Features)[] Plans =
    [
        ("price_basic", "basic_monthly", null),
        ("price_pro", "pro_monthly", "seats,reports"),
        ("price_team", "team_monthly", "seats,reports,exports"),
    ];

    private readonly Random _random = new(seed);

    private sealed record Planned(string SubscriptionId, string CustomerId, string Status, long Created,
        (string PriceId, string LookupKey, string? Features) Plan, long? TrialEnd, bool Entitled);

    /// <summary>Adds <paramref name="count"/> subscriptions; with <paramref name="features"/>, active entitlements for a tenth of the customers.</summary>
    public void Seed(StubAccount account, int count, bool features, DateTimeOffset now)
    {
        var yearAgo = now.AddYears(-1).ToUnixTimeSeconds();
        var step = (double)(now.ToUnixTimeSeconds() - yearAgo) / Math.Max(count, 1);
        var planned = new Planned[count];
        for (var i = 0; i < count; i++)
        {
            // Oldest first, so each subscription lands at the end of the stub's index.
            var created = yearAgo + (long)(i * step) + _random.NextInt64((long)Math.Max(step, 1));
            var plan = Plans[_random.Next(Plans.Length)];
            var status = _random.NextDouble() switch
            {
                < 0.80 => "active",
                < 0.88 => "trialing",
                < 0.94 => "past_due",
                _ => "canceled",
            };
            long? trialEnd = status == "trialing" ? now.AddDays(1 + _random.Next(14)).ToUnixTimeSeconds() : null;
            planned[i] = new Planned($"sub_1{Id(23)}", $"cus_{Id(14)}", status, created, plan, trialEnd, features && _random.Next(10) == 0);
        }

        // Writing the JSON is most of the start-up time (100,000 take seconds): both cores write, in list order.
        var bodies = new string[count];
        Parallel.For(0, count, i =>
        {
            var (subscriptionId, customerId, status, created, (priceId, lookupKey, planFeatures), trialEnd, _) = planned[i];
            bodies[i] = StripeObjectJson.Subscription(subscriptionId, customerId, status, created, priceId, lookupKey, planFeatures, trialEnd);
        });
        for (var i = 0; i < count; i++)
        {
            account.PutSubscription(bodies[i]);
            if (planned[i].Entitled)
            {
                account.PutActiveEntitlements(planned[i].CustomerId, (planned[i].Plan.Features ?? "reports").Split(','));
            }
        }
    }

    private string Id(int length) => string.Create(length, _random, (span, random) =>
    {
        for (var i = 0; i < span.Length; i++)
        {
            span[i] = Alphabet[random.Next(Alphabet.Length)];
        }
    });
}
