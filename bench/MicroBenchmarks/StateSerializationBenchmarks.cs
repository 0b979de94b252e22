using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Billing.Grains.Customers;
using Billing.Grains.Events;
using Billing.Grains.Subscriptions;

namespace Billing.Bench.MicroBenchmarks;

/// <summary>
/// The customer grain stores its whole state on every applied event, and that state keeps every applied event id
/// for 30 days (the dedupe window). This measures serializing it with System.Text.Json (the storage serializer's
/// format; Orleans adds its own envelope) as the id list grows: the cost each write of a busy customer pays.
/// </summary>
[MemoryDiagnoser]
public class StateSerializationBenchmarks
{
    private CustomerState _state = new();

    /// <summary>Event ids remembered for dedupe.</summary>
    [Params(10, 1_000, 10_000)]
    public int AppliedEvents { get; set; }

    /// <summary>A customer with one active subscription and <see cref="AppliedEvents"/> remembered ids.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _state = new CustomerState
        {
            Access = AccessState.Active,
            Features = ["exports", "reports"],
            Version = 3,
        };
        _state.Subscriptions["sub_1"] = new SubscriptionRecord
        {
            Status = SubscriptionStatus.Active,
            EventId = "evt_last",
            Created = 1_763_900_000,
            Items = [new SubscriptionItem("price_pro", null, "prod_bench", [])],
        };
        for (var i = 0; i < AppliedEvents; i++)
        {
            _state.AppliedEvents[$"evt_1Pq{i:D20}"] = 1_763_900_000 + i;
        }
    }

    /// <summary>The bytes one state write sends to PostgreSQL.</summary>
    [Benchmark]
    public byte[] SerializeState() => JsonSerializer.SerializeToUtf8Bytes(_state);
}
