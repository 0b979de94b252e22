using BenchmarkDotNet.Attributes;
using Billing.Grains;
using Billing.Grains.Customers;
using Billing.Grains.Events;
using Billing.Grains.Journal;
using Billing.Journal;

namespace Billing.Bench.MicroBenchmarks;

/// <summary>
/// What the customer grain does per event on top of the rules: fold it into the state and build its journal entry
/// (facts and effects as JSON, the bytes the group commit sends), and, every 100 entries, serialize a snapshot.
/// </summary>
[MemoryDiagnoser]
public class JournalEntryBenchmarks
{
    private static readonly BillingOptions Options = new() { Catalog = new() { ["price_pro"] = ["exports", "reports"] } };
    private readonly DateTimeOffset _now = DateTimeOffset.FromUnixTimeSeconds(1_763_900_100);
    private CustomerLedger _ledger = null!;
    private StripeEvent _renewal = null!;
    private int _next;

    /// <summary>A customer with one active subscription.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _ledger = new CustomerLedger("cus_bench_1", Options);
        _ledger.Restore(null, CustomerJournal.Empty, _now);
        var items = new[] { new SubscriptionItem("price_pro", null, "prod_bench", []) };
        _ledger.Apply("evt_created", "customer.subscription.created", JournalSource.Webhook, null,
            new EventFacts(new StripeEvent("evt_created", "customer.subscription.created", StripeEventKind.SubscriptionChanged, 1_763_900_000,
                new SubscriptionSnapshot("sub_1", "active", null, [.. items]))), _now);
        _renewal = new StripeEvent("evt_renewal", "customer.subscription.updated", StripeEventKind.SubscriptionChanged, 1_763_900_001,
            new SubscriptionSnapshot("sub_1", "active", null, [.. items]));
    }

    /// <summary>One event folded into the state and made a journal entry (a renewal: nothing changes).</summary>
    [Benchmark]
    public AppliedEntry FoldAndBuildEntry()
    {
        var id = $"evt_{_next++}";
        return _ledger.Apply(id, _renewal.Type, JournalSource.Webhook, null,
            new EventFacts(_renewal with { Id = id, Created = _renewal.Created + _next }), _now);
    }

    /// <summary>The effects' JSON of one entry, as the writer sends it.</summary>
    [Benchmark]
    public string SerializeEffects() =>
        JournalJson.Serialize(new JournalEffects(AccessState.Active, ["exports", "reports"], 3, _now, Changed: false));

    /// <summary>A snapshot's JSON (Orleans' System.Text.Json grain storage).</summary>
    [Benchmark]
    public byte[] SerializeSnapshot() => System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(_ledger.ToSnapshot(_now));
}
