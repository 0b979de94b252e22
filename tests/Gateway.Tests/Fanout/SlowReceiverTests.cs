using System.Diagnostics;
using Billing.Gateway.Tests.Infrastructure;
using Billing.Gateway.Tests.Observability;
using Billing.Grains.Fanout;
using Billing.Outbound;
using Billing.StripeSamples;
using Billing.Testing.Outbound;

namespace Billing.Gateway.Tests.Fanout;

/// <summary>
/// A delivery runs inside the consumer grain's turn and ends before the grain-call timeout (5 s): a receiver slower
/// than the budget gets one POST per attempt, each given up within the budget, never two at once.
/// </summary>
public sealed class SlowReceiverTests() : OwnDatabaseTests("slow_receiver")
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_receiver_slower_than_the_budget_gets_one_post_per_attempt_each_given_up_within_the_budget()
    {
        // The defaults (3 s per attempt, 4 s per call) against the silo's grain-call timeout (5 s), with a margin.
        var turnLimit = OutboundOptions.DefaultResponseTimeout - TimeSpan.FromMilliseconds(500);
        using var spans = new SpanCollection();
        await using var receiver = await RecordingReceiver.StartAsync();
        receiver.Script("fulfillment", Answer.Slow(TimeSpan.FromSeconds(8)));
        await using var stack = await BillingStack.StartAsync(Database, new Dictionary<string, string?>
        {
            ["Billing:Fulfillment:Endpoints:0"] = receiver.Url("fulfillment"),
            ["Billing:Outbound:SigningSecret"] = "slow_receiver_secret",
            ["Billing:Journal:SweepInterval"] = "00:00:01",
            ["Billing:Journal:LagAfter"] = "00:00:01",
        });
        var customerId = StripeEventJson.NewCustomerId();

        await stack.Webhooks.ApplyAsync(StripeEventJson.Subscription(customerId, "sub_1", "active", DateTimeOffset.UtcNow.ToUnixTimeSeconds()));

        // The consumer's first call gives up at the budget; then the receiver recovers and the next call delivers.
        var failed = await spans.WaitForAsync(s => s.OperationName == "billing.fanout.deliver" &&
                                                   (string?)s.GetTagItem("billing.customer.id") == customerId &&
                                                   s.Status == ActivityStatusCode.Error, Timeout, "the first, failed delivery");
        Assert.InRange(failed.Duration, TimeSpan.Zero, turnLimit);
        receiver.Script("fulfillment", 200);
        await WaitUntilDeliveredAsync(stack.Cluster.Client.GetGrain<IFulfillmentGrain>(customerId));
        await Task.Delay(500); // the last attempt's span is exported when it ends

        var posts = receiver.RequestsTo("fulfillment");
        var attempts = spans.Snapshot().Where(s => s.Kind == ActivityKind.Client &&
                                                   s.GetTagItem("url.full") is string url &&
                                                   url == receiver.BaseAddress.GetLeftPart(UriPartial.Authority)).ToList();
        Assert.True(posts.Count >= 2, $"{posts.Count} POST(s)");
        Assert.Equal(attempts.Count, posts.Count);
        Assert.All(posts, post => Assert.Equal($"{customerId}:1", post.Id));

        // Every slow POST was given up by Billing well before the grain-call timeout, and the next one came only after it.
        var ended = receiver.Ended.Where(e => e.Request.Path == "/fulfillment").ToList();
        Assert.Equal(posts.Count, ended.Count);
        Assert.All(ended.Where(e => !e.Answered), e => Assert.InRange(e.EndedAt - e.Request.ReceivedAt, TimeSpan.Zero, turnLimit));
        for (var i = 1; i < posts.Count; i++)
        {
            var previousEnd = ended.Single(e => ReferenceEquals(e.Request, posts[i - 1])).EndedAt;
            Assert.True(posts[i].ReceivedAt >= previousEnd - TimeSpan.FromMilliseconds(50),
                $"POST {i} arrived at {posts[i].ReceivedAt:O}, while POST {i - 1} was still open (until {previousEnd:O})");
        }

        Assert.True(ended[^1].Answered);
    }

    private static async Task WaitUntilDeliveredAsync(IFulfillmentGrain consumer)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (await consumer.GetDeliveredVersionAsync() < 1)
        {
            Assert.True(DateTime.UtcNow < deadline, "the message was never delivered");
            await Task.Delay(200);
        }
    }
}
