using Billing.Gateway.Tests.Infrastructure;
using Billing.Grains;
using Billing.Grains.Customers;
using Billing.Grains.Journal;
using Billing.Journal;
using Billing.StripeSamples;
using Billing.Testing.Events;
using Billing.V1;
using CsCheck;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace Billing.Gateway.Tests.History;

/// <summary><c>GetEntitlements</c> with <c>as_of</c>: the entitlements as Billing held them at an instant.</summary>
public sealed class AsOfTests(StackFixture fixture) : IClassFixture<StackFixture>
{
    private static readonly long Now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
    private BillingStack Stack => fixture.Stack;

    [Fact]
    public async Task Each_instant_answers_what_was_held_then_and_before_the_first_event_nothing()
    {
        var customer = StripeEventJson.NewCustomerId();
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        await Stack.Webhooks.ApplyAsync(StripeEventJson.Subscription(customer, "sub_1", "active", Now));
        await Stack.Webhooks.ApplyAsync(StripeEventJson.Subscription(customer, "sub_1", "unpaid", Now + 1, previousStatus: "active"));
        var events = (await Stack.History.ListCustomerEventsAsync(new ListCustomerEventsRequest { CustomerId = customer })).Events;

        var none = await AsOfAsync(customer, before);
        var atFirst = await AsOfAsync(customer, events[0].RecordedAt.ToDateTimeOffset());
        var atSecond = await AsOfAsync(customer, events[1].RecordedAt.ToDateTimeOffset());
        var now = await AsOfAsync(customer, DateTimeOffset.UtcNow);

        Assert.Equal((V1.AccessState.None, 0L), (none.Access, none.Version));
        Assert.Equal((V1.AccessState.Active, 1L), (atFirst.Access, atFirst.Version));
        Assert.Equal(["exports", "reports"], atFirst.Features);
        Assert.Equal((V1.AccessState.Suspended, 2L), (atSecond.Access, atSecond.Version));
        Assert.Equal(await Stack.Entitlements.GetEntitlementsAsync(new GetEntitlementsRequest { CustomerId = customer }), now);
    }

    [Fact]
    public async Task An_instant_in_the_future_is_an_invalid_argument_and_one_older_than_the_history_kept_is_out_of_range()
    {
        var future = await Assert.ThrowsAsync<RpcException>(() => AsOfAsync("cus_as_of", DateTimeOffset.UtcNow.AddMinutes(5)));
        var tooOld = await Assert.ThrowsAsync<RpcException>(() => AsOfAsync("cus_as_of", DateTimeOffset.UtcNow.AddDays(-401)));
        var oldest = await AsOfAsync("cus_as_of", DateTimeOffset.UtcNow.AddDays(-399));

        Assert.Equal(StatusCode.InvalidArgument, future.StatusCode);
        Assert.Equal(StatusCode.OutOfRange, tooOld.StatusCode);
        Assert.Equal(V1.AccessState.None, oldest.Access);
    }

    [Fact]
    public async Task The_answer_as_of_any_instant_is_the_journal_replayed_up_to_it()
    {
        var journal = Stack.Journal;
        var grains = Stack.Cluster.Client;
        var options = new BillingOptions { Catalog = new() { ["price_pro"] = ["exports", "reports"], ["team_monthly"] = ["seats"] } };
        await Gen.Int.SampleAsync(async seed =>
        {
            var random = new Random(seed);
            var (events, _, _) = HistoryGenerator.Generate(random);
            var customer = $"cus_asof_{Guid.NewGuid():N}";
            var grain = grains.GetGrain<ICustomerGrain>(customer);
            for (var taken = 0; taken < events.Count;)
            {
                var size = Math.Min(random.Next(1, 4), events.Count - taken);
                await grain.ApplyAllAsync([.. events.Skip(taken).Take(size)]);
                taken += size;
            }

            var entries = await journal.ReadAsync(customer, 0, long.MaxValue, 10_000, withFacts: true);
            var first = entries[0].RecordedAt;
            var span = entries[^1].RecordedAt - first;
            for (var probe = 0; probe < 5; probe++)
            {
                var instant = first + (span * random.NextDouble()) - TimeSpan.FromMilliseconds(random.Next(0, 2));
                var replayed = new CustomerLedger(customer, options);
                replayed.Restore(null, new CustomerJournal(0, [.. entries.Where(e => e.RecordedAt <= instant)], []), DateTimeOffset.UtcNow);

                var answer = await AsOfAsync(customer, instant);

                Assert.Equal(((int)replayed.State.Access, replayed.State.Version), ((int)answer.Access, answer.Version));
                Assert.Equal(replayed.State.Features, answer.Features);
            }
        }, iter: 25, threads: 1);
    }

    private async Task<V1.CustomerEntitlements> AsOfAsync(string customer, DateTimeOffset instant) =>
        await Stack.Entitlements.GetEntitlementsAsync(new GetEntitlementsRequest { CustomerId = customer, AsOf = Timestamp.FromDateTimeOffset(instant) });
}
