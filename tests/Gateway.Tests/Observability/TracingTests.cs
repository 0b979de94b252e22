using System.Collections.Concurrent;
using System.Diagnostics;
using Billing.Gateway.Tests.Infrastructure;
using Billing.ServiceDefaults;
using Billing.StripeSamples;

namespace Billing.Gateway.Tests.Observability;

/// <summary>One trace follows an event from the webhook into its customer grain.</summary>
public sealed class TracingTests(StackFixture fixture) : IClassFixture<StackFixture>
{
    [Fact]
    public async Task The_webhook_and_the_grain_call_it_makes_share_one_trace()
    {
        var activities = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is BillingTelemetry.ActivitySourceName or "Microsoft.Orleans.Application",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activities.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);

        var customerId = StripeEventJson.NewCustomerId();
        var eventId = StripeEventJson.NewEventId();
        await fixture.Stack.Webhooks.ApplyAsync(StripeEventJson.Subscription(customerId, "sub_1", "active",
            DateTimeOffset.UtcNow.ToUnixTimeSeconds(), eventId: eventId));

        var webhook = Assert.Single(activities, a => a.OperationName == "stripe.webhook" && (string?)a.GetTagItem("stripe.event.id") == eventId);
        var grainCalls = activities.Where(a => a.Source.Name == "Microsoft.Orleans.Application" && a.TraceId == webhook.TraceId).ToList();
        Assert.Contains(grainCalls, a => a.OperationName.Contains("ApplyAllAsync", StringComparison.Ordinal));
        Assert.Equal("applied", webhook.GetTagItem("billing.webhook.outcome"));
    }
}
