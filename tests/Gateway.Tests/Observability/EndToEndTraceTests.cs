using System.Diagnostics;
using Billing.Gateway.Tests.Infrastructure;
using Billing.ServiceDefaults;
using Billing.StripeSamples;
using Billing.Testing.Outbound;

namespace Billing.Gateway.Tests.Observability;

/// <summary>
/// One Stripe event is one trace, end to end, as the product exports it (the in-memory exporter in place of OTLP,
/// collecting gateway and silo together): webhook → dispatcher → customer grain → journal append → stream →
/// consumer → outbound POST, whose receiver gets the webhook's trace id in <c>traceparent</c>. A delivery retried
/// later is a trace of its own, linked to the original.
/// </summary>
public sealed class EndToEndTraceTests() : OwnDatabaseTests("trace")
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task One_event_is_one_trace_from_the_webhook_to_the_receivers_post()
    {
        using var spans = new SpanCollection();
        await using var receiver = await RecordingReceiver.StartAsync();
        await using var stack = await BillingStack.StartAsync(Database, Settings(receiver));
        var customerId = StripeEventJson.NewCustomerId();
        var eventId = StripeEventJson.NewEventId();

        Assert.Equal("applied", await stack.Webhooks.ApplyAsync(StripeEventJson.Subscription(customerId, "sub_1", "active",
            DateTimeOffset.UtcNow.ToUnixTimeSeconds(), eventId: eventId)));

        var delivery = await receiver.WaitForAsync(d => d.Id == $"{customerId}:1", Timeout);
        var webhook = await spans.WaitForAsync(s => s.OperationName == "stripe.webhook" && (string?)s.GetTagItem("stripe.event.id") == eventId,
            Timeout, "stripe.webhook");
        var deliver = await spans.WaitForAsync(s => s.OperationName == "billing.fanout.deliver" && s.TraceId == webhook.TraceId,
            Timeout, "billing.fanout.deliver in the webhook's trace");
        var post = await spans.WaitForAsync(s => IsPostTo(s, receiver) && s.TraceId == webhook.TraceId, Timeout, "the outbound POST");
        var trace = spans.InTrace(webhook.TraceId);

        Assert.Contains(trace, s => s.OperationName == "billing.apply");
        var append = Assert.Single(trace, s => s.OperationName == "billing.journal.append");
        Assert.Equal("appended", append.GetTagItem("billing.journal.append.outcome"));
        Assert.Contains(trace, s => s.Source.Name == "Microsoft.Orleans.Application" && s.DisplayName.Contains("ApplyAllAsync", StringComparison.Ordinal));
        Assert.Equal(false, deliver.GetTagItem("billing.fanout.redelivery"));
        Assert.Equal(customerId, deliver.GetTagItem("billing.customer.id"));

        // Each hop is the parent of the next: the delivery hangs under the webhook, the POST under the delivery.
        Assert.True(Descends(deliver, webhook, trace), "billing.fanout.deliver is not under stripe.webhook");
        Assert.True(Descends(append, webhook, trace), "billing.journal.append is not under stripe.webhook");
        Assert.Equal(deliver.SpanId, post.ParentSpanId);
        Assert.DoesNotContain(post.TagObjects, tag => tag.Value?.ToString()?.Contains("/fulfillment", StringComparison.Ordinal) == true);

        // The receiver got the POST's own context: the webhook's trace id, the HTTP client span as parent.
        Assert.Equal(webhook.TraceId.ToHexString(), delivery.TraceId);
        Assert.Equal(post.Id, delivery.TraceParent);

        // Orleans' runtime source (stream polling, system targets) is not exported: no roots of its own.
        Assert.DoesNotContain(spans.Snapshot(), s => s.Source.Name == "Microsoft.Orleans.Runtime");
    }

    [Fact]
    public async Task A_delivery_retried_later_is_linked_to_the_webhooks_trace_and_its_in_call_retries_stay_in_it()
    {
        using var spans = new SpanCollection();
        await using var receiver = await RecordingReceiver.StartAsync();
        receiver.Script("fulfillment", 503, 503, 200); // both attempts of the first call fail; the consumer's retry succeeds
        await using var stack = await BillingStack.StartAsync(Database, Settings(receiver));
        var customerId = StripeEventJson.NewCustomerId();
        var eventId = StripeEventJson.NewEventId();

        await stack.Webhooks.ApplyAsync(StripeEventJson.Subscription(customerId, "sub_1", "active",
            DateTimeOffset.UtcNow.ToUnixTimeSeconds(), eventId: eventId));

        await receiver.WaitForAsync(d => d.Id == $"{customerId}:1" && receiver.RequestsTo("fulfillment").Count >= 3, Timeout);
        var posts = receiver.RequestsTo("fulfillment");
        var webhook = await spans.WaitForAsync(s => s.OperationName == "stripe.webhook" && (string?)s.GetTagItem("stripe.event.id") == eventId,
            Timeout, "stripe.webhook");
        var first = await spans.WaitForAsync(s => s.OperationName == "billing.fanout.deliver" && s.TraceId == webhook.TraceId,
            Timeout, "the first delivery");
        var retry = await spans.WaitForAsync(s => s.OperationName == "billing.fanout.deliver" &&
                                                  s.Links.Any(link => link.Context.TraceId == webhook.TraceId),
            Timeout, "the later delivery, linked to the webhook's trace");

        // The first call's two attempts: in the webhook's trace, under the first delivery, which failed.
        Assert.Equal(ActivityStatusCode.Error, first.Status);
        var firstAttempts = spans.InTrace(webhook.TraceId).Where(s => IsPostTo(s, receiver)).ToList();
        Assert.Equal(2, firstAttempts.Count);
        Assert.All(firstAttempts, attempt => Assert.Equal(first.SpanId, attempt.ParentSpanId));
        Assert.All(posts.Take(2), post => Assert.Equal(webhook.TraceId.ToHexString(), post.TraceId));

        // The consumer's later retry: its own trace (the sweeper's), linked to the webhook's, and its POST in it.
        Assert.NotEqual(webhook.TraceId, retry.TraceId);
        Assert.Equal(true, retry.GetTagItem("billing.fanout.redelivery"));
        Assert.Equal(ActivityStatusCode.Unset, retry.Status);
        var retried = await spans.WaitForAsync(s => IsPostTo(s, receiver) && s.ParentSpanId == retry.SpanId, Timeout, "the retry's POST");
        Assert.Equal(retried.Id, posts[2].TraceParent);
        Assert.Equal(3, posts.Count);
    }

    private static Dictionary<string, string?> Settings(RecordingReceiver receiver) => new()
    {
        ["Billing:Fulfillment:Endpoints:0"] = receiver.Url("fulfillment"),
        ["Billing:Outbound:SigningSecret"] = "trace_test_secret",
        ["Billing:Outbound:MaxAttempts"] = "2",
        ["Billing:Outbound:RetryDelay"] = "00:00:00.050",
        ["Billing:Journal:SweepInterval"] = "00:00:01",
        ["Billing:Journal:LagAfter"] = "00:00:01",
    };

    // HttpClient's span of a request to the receiver (one per attempt): its URL is the endpoint's scheme and host only,
    // never the path (it may carry a receiver's token).
    private static bool IsPostTo(Activity span, RecordingReceiver receiver) =>
        span.Kind == ActivityKind.Client &&
        span.GetTagItem("url.full") is string url &&
        url == receiver.BaseAddress.GetLeftPart(UriPartial.Authority);

    private static bool Descends(Activity span, Activity ancestor, IReadOnlyList<Activity> trace)
    {
        var byId = trace.ToDictionary(s => s.SpanId);
        for (var current = span; byId.TryGetValue(current.ParentSpanId, out var parent); current = parent)
        {
            if (parent.SpanId == ancestor.SpanId)
            {
                return true;
            }
        }

        return false;
    }

    [Fact]
    public void The_product_traces_application_grain_calls_but_not_orleans_runtime()
    {
        Assert.Contains("Microsoft.Orleans.Application", BillingTracing.OrleansSources);
        Assert.DoesNotContain("Microsoft.Orleans.Runtime", BillingTracing.OrleansSources);
    }
}
