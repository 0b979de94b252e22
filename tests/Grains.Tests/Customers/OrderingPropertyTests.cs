using Billing.Testing.Events;
using Billing.Grains.Customers;
using Billing.Grains.Entitlements;
using Billing.Grains.Events;
using CsCheck;

namespace Billing.Grains.Tests.Customers;

/// <summary>Stripe does not deliver in order: any arrival order must give the state of the in-order one.</summary>
public sealed class OrderingPropertyTests
{
    private static readonly BillingOptions Options = new()
    {
        Dunning = new DunningOptions { GracePeriod = TimeSpan.FromDays(3) },
        Catalog = new() { ["price_x"] = ["catalog-feature"] },
    };

    [Fact]
    public void Every_permutation_of_a_history_gives_the_state_of_the_in_order_history()
    {
        Gen.Int.Sample(seed =>
        {
            var random = new Random(seed);
            var (events, _, lastCreated) = HistoryGenerator.Generate(random);
            var now = DateTimeOffset.FromUnixTimeSeconds(lastCreated + random.Next(0, 6 * 86_400));
            var expected = Describe(Replay(events), now);

            for (var permutation = 0; permutation < 5; permutation++)
            {
                var shuffled = events.ToArray();
                random.Shuffle(shuffled);
                var actual = Describe(Replay(shuffled), now);
                Assert.True(expected == actual, $"seed {seed}: in order\n{expected}\nshuffled\n{actual}");
            }
        }, iter: 2000);
    }

    [Fact]
    public void In_order_delivery_ends_with_each_subscriptions_last_status()
    {
        Gen.Int.Sample(seed =>
        {
            var (events, finalStatuses, _) = HistoryGenerator.Generate(new Random(seed));
            var state = Replay(events);
            foreach (var (subscriptionId, status) in finalStatuses)
            {
                Assert.Equal(status, state.Subscriptions[subscriptionId].Status);
            }
        }, iter: 2000);
    }

    [Fact]
    public void Delivering_every_event_twice_changes_nothing_once_deduplicated()
    {
        Gen.Int.Sample(seed =>
        {
            var random = new Random(seed);
            var (events, _, lastCreated) = HistoryGenerator.Generate(random);
            var now = DateTimeOffset.FromUnixTimeSeconds(lastCreated);
            var doubled = events.Concat(events).ToArray();
            random.Shuffle(doubled);

            var applied = new HashSet<string>();
            var state = new CustomerState();
            foreach (var stripeEvent in doubled)
            {
                if (applied.Add(stripeEvent.Id))
                {
                    StripeEventApplier.Apply(state, stripeEvent);
                }
            }

            Assert.Equal(Describe(Replay(events), now), Describe(state, now));
        }, iter: 1000);
    }

    private static CustomerState Replay(IEnumerable<StripeEvent> events)
    {
        var state = new CustomerState();
        foreach (var stripeEvent in events)
        {
            StripeEventApplier.Apply(state, stripeEvent);
        }

        return state;
    }

    // Everything the state means, in a comparable form. The version is left out on purpose: it counts changes
    // as they were observed, and a different arrival order legitimately passes through other intermediate states.
    private static string Describe(CustomerState state, DateTimeOffset now)
    {
        var decision = EntitlementRules.Evaluate(state, now, Options);
        var subscriptions = state.Subscriptions
            .OrderBy(s => s.Key, StringComparer.Ordinal)
            .Select(s => $"{s.Key}={s.Value.Status}@{s.Value.Created}{(s.Value.Final ? "!" : "")}" +
                         $"[{string.Join(",", s.Value.Items.SelectMany(i => i.MetadataFeatures))}]" +
                         $" pastDueSince={s.Value.PastDueSince}");
        return $"access={decision.Access} features={string.Join(",", decision.Features)} graceEnds={decision.GraceEndsAt}\n" +
               $"deleted={state.Deleted} dunning={state.Dunning.FirstUnpaidFailureAt}/{state.Dunning.LastPaymentAt} " +
               $"summary={string.Join(",", state.EntitlementSummary?.LookupKeys ?? [])}\n" +
               string.Join("\n", subscriptions);
    }
}
