using BenchmarkDotNet.Attributes;
using Billing.Grains;
using Billing.Grains.Customers;
using Billing.Grains.Entitlements;
using Billing.Grains.Events;
using Billing.Grains.Subscriptions;

namespace Billing.Bench.MicroBenchmarks;

/// <summary>
/// <see cref="EntitlementRules.Evaluate"/>, which the customer grain runs after every applied event: a typical
/// customer (one active subscription), a busy one (five subscriptions of mixed status, three items each, an
/// entitlement summary) and one in dunning (past due, inside the grace period).
/// </summary>
[MemoryDiagnoser]
public class EntitlementBenchmarks
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_763_900_000);

    private readonly BillingOptions _options = new()
    {
        Catalog = new(StringComparer.Ordinal)
        {
            ["price_basic"] = ["reports"],
            ["price_pro"] = ["exports", "reports"],
            ["price_team"] = ["exports", "reports", "sso"],
            ["lookup_addon"] = ["audit_log"],
        },
    };

    private readonly CustomerState _oneActive = State(("active", 1));
    private readonly CustomerState _fiveMixed = State(("canceled", 3), ("canceled", 3), ("past_due", 3), ("trialing", 3), ("active", 3));
    private readonly CustomerState _pastDue = State(("past_due", 1));

    /// <summary>One active subscription with one item.</summary>
    [Benchmark(Baseline = true)]
    public EntitlementDecision OneActiveSubscription() => EntitlementRules.Evaluate(_oneActive, Now, _options);

    /// <summary>Five subscriptions of mixed status, three items each, and an entitlement summary.</summary>
    [Benchmark]
    public EntitlementDecision FiveSubscriptionsMixed() => EntitlementRules.Evaluate(_fiveMixed, Now, _options);

    /// <summary>One past-due subscription inside the grace period.</summary>
    [Benchmark]
    public EntitlementDecision PastDueInGrace() => EntitlementRules.Evaluate(_pastDue, Now, _options);

    private static CustomerState State(params (string Status, int Items)[] subscriptions)
    {
        var state = new CustomerState();
        string[] prices = ["price_basic", "price_pro", "price_team"];
        for (var i = 0; i < subscriptions.Length; i++)
        {
            var (status, items) = subscriptions[i];
            var created = Now.ToUnixTimeSeconds() - 3600 + i;
            var record = new SubscriptionRecord
            {
                Status = status,
                EventId = $"evt_{i}",
                Created = created,
                Items = [.. Enumerable.Range(0, items).Select(k => new SubscriptionItem(prices[(i + k) % prices.Length],
                    k == 2 ? "lookup_addon" : null, "prod_bench", k == 1 ? ["api"] : []))],
            };
            if (status == SubscriptionStatus.PastDue)
            {
                record.PastDueSeenAt.Add(created);
            }

            state.Subscriptions[$"sub_{i}"] = record;
        }

        if (subscriptions.Length > 1)
        {
            state.EntitlementSummary = new EntitlementSummaryRecord(Now.ToUnixTimeSeconds() - 60, "evt_summary", ["priority_support"]);
        }

        return state;
    }
}
