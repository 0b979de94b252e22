using Billing.Grains;
using Billing.Grains.Customers;
using Billing.Grains.Events;
using Billing.Grains.Journal;
using Billing.Testing.Events;
using CsCheck;

namespace Billing.Journal.Tests;

/// <summary>
/// Two activations of one customer at once (Orleans allows it for a moment during a handover), injected: each is the
/// customer grain's own parts (a <see cref="CustomerLedger"/> folding into memory, the real PostgreSQL journal through
/// the real writer) driven as the grain drives them: answer "duplicate" for an id the ledger knows, else fold, append,
/// and answer "applied" only if the append went through; otherwise throw the ledger away and reload (the delivery is
/// then retried, as Stripe retries a 503). Whatever the interleaving, no event is journaled twice, the journal has no
/// gaps, every acknowledged event is in it, and it folds to what the same events give in Stripe's order.
/// </summary>
public sealed class RacingActivationsPropertyTests(PostgresJournalStoreTests.Fixture fixture) : IClassFixture<PostgresJournalStoreTests.Fixture>
{
    private static readonly BillingOptions Options = new();

    [Fact]
    public async Task Two_racing_activations_never_journal_an_event_twice_nor_lose_an_acknowledged_one()
    {
        var store = fixture.Store;
        await Gen.Int.SampleAsync(async seed =>
        {
            var random = new Random(seed);
            var (events, _, _) = HistoryGenerator.Generate(random);
            var customer = $"cus_race_{Guid.NewGuid():N}";
            var deliveries = new Queue<StripeEvent>(Shuffled(random, [.. events, .. events.Where(_ => random.Next(4) == 0)]));
            Activation[] activations = [await Activation.LoadAsync(customer, store), await Activation.LoadAsync(customer, store)];
            var acknowledged = new HashSet<string>(StringComparer.Ordinal);
            var attempts = 0;

            while (deliveries.Count > 0)
            {
                Assert.True(++attempts < 50 * events.Count, "deliveries never settle");

                // Sometimes both activations take a delivery at once: their appends may share one group commit.
                var taken = random.Next(3) == 0 && deliveries.Count > 1 ? 2 : 1;
                var batch = Enumerable.Range(0, taken).Select(_ => deliveries.Dequeue()).ToArray();
                var picks = batch.Select((_, i) => taken == 2 ? activations[i] : activations[random.Next(2)]).ToArray();
                if (random.Next(8) == 0)
                {
                    await picks[0].ReloadAsync(); // a reactivation
                }

                var answers = await Task.WhenAll(batch.Select((delivery, i) => picks[i].DeliverAsync(delivery)));
                for (var i = 0; i < batch.Length; i++)
                {
                    if (answers[i] is null)
                    {
                        deliveries.Enqueue(batch[i]); // not acknowledged: Stripe delivers again
                    }
                    else
                    {
                        acknowledged.Add(batch[i].Id);
                    }
                }
            }

            var journal = await store.ReadAsync(customer, 0, long.MaxValue, 10_000, withFacts: true);
            Assert.Equal(Enumerable.Range(1, journal.Count).Select(v => (long)v), journal.Select(e => e.Version));
            Assert.Equal(journal.Count, journal.Select(e => e.EventId).Distinct(StringComparer.Ordinal).Count());
            Assert.Equal(events.Select(e => e.Id).Order(StringComparer.Ordinal), journal.Select(e => e.EventId).Order(StringComparer.Ordinal));
            Assert.Subset(journal.Select(e => e.EventId).ToHashSet(StringComparer.Ordinal), acknowledged);

            var racing = new CustomerLedger(customer, Options);
            racing.Restore(null, new CustomerJournal(0, journal, []), DateTimeOffset.UtcNow);
            var inOrder = new CustomerLedger(customer, Options);
            foreach (var stripeEvent in events)
            {
                inOrder.Apply(stripeEvent.Id, stripeEvent.Type, JournalSource.Webhook, null, new EventFacts(stripeEvent), DateTimeOffset.UtcNow);
            }

            Assert.Equal(Describe(inOrder.State), Describe(racing.State));
        }, iter: 30, threads: 1);
    }

    private static string Describe(CustomerState state) => $"{state.Access} [{string.Join(",", state.Features)}]";

    private static List<StripeEvent> Shuffled(Random random, List<StripeEvent> events)
    {
        var copy = events.ToArray();
        random.Shuffle(copy);
        return [.. copy];
    }

    // One activation: its ledger, and the grain's rule for an append that did not go through.
    private sealed class Activation(string customerId, IJournalStore store)
    {
        private CustomerLedger _ledger = null!;

        public static async Task<Activation> LoadAsync(string customerId, IJournalStore store)
        {
            var activation = new Activation(customerId, store);
            await activation.ReloadAsync();
            return activation;
        }

        public async Task ReloadAsync()
        {
            var now = DateTimeOffset.UtcNow;
            _ledger = new CustomerLedger(customerId, Options);
            _ledger.Restore(null, await store.LoadAsync(customerId, 0, now - JournalOptions.DedupeWindow), now);
        }

        /// <summary>"applied" or "duplicate", or null when not acknowledged.</summary>
        public async Task<string?> DeliverAsync(StripeEvent stripeEvent)
        {
            if (_ledger.Knows(stripeEvent.Id))
            {
                return "duplicate";
            }

            var applied = _ledger.Apply(stripeEvent.Id, stripeEvent.Type, JournalSource.Webhook, null, new EventFacts(stripeEvent), DateTimeOffset.UtcNow);
            var outcome = await store.AppendAsync(new JournalAppend(customerId, applied.Entry.Version - 1, [applied.Entry], _ledger.Head()));
            if (outcome == AppendOutcome.Appended)
            {
                return "applied";
            }

            await ReloadAsync();
            return null;
        }
    }
}
