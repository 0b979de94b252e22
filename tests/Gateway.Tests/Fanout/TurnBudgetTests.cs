using System.Diagnostics;
using Billing.Gateway.Tests.Infrastructure;
using Billing.Gateway.Tests.Observability;
using Billing.Grains.Fanout;
using Billing.StripeSamples;
using Billing.Testing.Outbound;

namespace Billing.Gateway.Tests.Fanout;

/// <summary>
/// A consumer's turn starts another delivery only while a whole call still fits before the grain-call timeout; what
/// is left goes on at once in a turn of its own, in order, nothing skipped.
/// </summary>
public sealed class TurnBudgetTests() : OwnDatabaseTests("turn_budget")
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_catch_up_longer_than_one_turn_goes_on_in_the_next_turn_in_order()
    {
        using var spans = new SpanCollection();
        await using var receiver = await RecordingReceiver.StartAsync();
        receiver.Script("fulfillment", 503); // the first call fails: the consumer backs off while two more versions arrive
        await using var stack = await BillingStack.StartAsync(Database, new Dictionary<string, string?>
        {
            ["Billing:Fulfillment:Endpoints:0"] = receiver.Url("fulfillment"),
            ["Billing:Outbound:SigningSecret"] = "turn_budget_secret",
            ["Billing:Outbound:MaxAttempts"] = "1",
            ["Billing:Outbound:AttemptTimeout"] = "00:00:01.500",
            ["Billing:Outbound:TotalTimeout"] = "00:00:01.500",
            // A turn may start another call while 1.5 s + 0.5 s still fit in 3 s: up to 1 s into the turn.
            ["Orleans:Messaging:ResponseTimeout"] = "00:00:03",
            ["Billing:Journal:SweepInterval"] = "00:00:01",
            ["Billing:Journal:LagAfter"] = "00:00:01",
        });
        var customerId = StripeEventJson.NewCustomerId();
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        await stack.Webhooks.ApplyAsync(StripeEventJson.Subscription(customerId, "sub_1", "trialing", now));
        await receiver.WaitForAsync(d => d.Id == $"{customerId}:1", Timeout);
        receiver.Script("fulfillment", Answer.Slow(TimeSpan.FromMilliseconds(700)));
        await stack.Webhooks.ApplyAsync(StripeEventJson.Subscription(customerId, "sub_1", "past_due", now + 1));
        await stack.Webhooks.ApplyAsync(StripeEventJson.Subscription(customerId, "sub_1", "active", now + 2));

        // After the backoff the sweeper's poke delivers 1 and 2 (0.7 s each), then stops: 3 goes in the next turn (the
        // budget never cuts the first call of a turn).
        var consumer = stack.Cluster.Client.GetGrain<IFulfillmentGrain>(customerId);
        var deadline = DateTime.UtcNow + Timeout;
        while (await consumer.GetDeliveredVersionAsync() < 3)
        {
            Assert.True(DateTime.UtcNow < deadline, "not every version was delivered");
            await Task.Delay(200);
        }

        var ids = receiver.RequestsTo("fulfillment").Select(d => d.Id).ToList();
        Assert.Equal([$"{customerId}:1", $"{customerId}:1", $"{customerId}:2", $"{customerId}:3"], ids);
        var continued = await spans.WaitForAsync(s => s.OperationName == "billing.fanout.deliver" &&
                                                      (string?)s.GetTagItem("billing.customer.id") == customerId &&
                                                      s.GetTagItem("billing.fanout.continued") is true, Timeout, "a delivery left for the next turn");
        Assert.InRange((long)continued.GetTagItem("billing.journal.version")!, 2, 3); // 3 unless the machine is slow
        Assert.NotEqual(ActivityStatusCode.Error, continued.Status);
    }
}
