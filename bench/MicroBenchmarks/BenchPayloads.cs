using Billing.StripeSamples;
using Billing.Testing.Stripe;

namespace Billing.Bench.MicroBenchmarks;

/// <summary>
/// The event bodies the benchmarks use: the compact subscription event the load generator sends (≈0.6 KB), and a
/// real Stripe <c>customer.subscription.updated</c> from the shared fixtures (≈4.7 KB, API version 2020-08-27),
/// closer to what Stripe actually delivers.
/// </summary>
public static class BenchPayloads
{
    /// <summary>The payload names, for <c>[Params]</c>.</summary>
    public const string Minimal = "minimal";

    /// <summary>The fixture payload name.</summary>
    public const string Fixture = "fixture";

    /// <summary>The webhook signing secret the signatures are made with.</summary>
    public const string Secret = "whsec_micro_benchmark_secret";

    /// <summary>The body called <paramref name="name"/>.</summary>
    public static string Get(string name) => name switch
    {
        Minimal => StripeEventJson.Subscription("cus_bench_1", "sub_bench_1", "active", 1_763_900_000,
            previousStatus: "trialing", eventId: "evt_bench_1", priceId: "price_pro"),
        Fixture => File.ReadAllText(Path.Combine(StripeFixtures.Directory, "rubymock__customer.subscription.updated.json")),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "unknown payload"),
    };
}
