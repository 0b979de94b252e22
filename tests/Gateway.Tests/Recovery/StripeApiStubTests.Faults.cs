using System.Diagnostics;
using System.Net;
using Billing.StripeSamples;
using Billing.Testing.Stripe;
using Stripe;

namespace Billing.Gateway.Tests.Recovery;

/// <summary>
/// The stub's faults as Stripe.net meets them: what surfaces as an exception, what its retry policy repeats, and
/// what the rate ceiling does to a burst and to a paced caller.
/// </summary>
public sealed partial class StripeApiStubTests
{
    [Theory]
    [InlineData("global-rate")]
    [InlineData("endpoint-rate")]
    public async Task A_rate_limited_429_names_its_reason_has_no_Retry_After_and_is_not_retried(string reason)
    {
        Stub.Faults.Enqueue(StubFault.RateLimited(reason), pathPrefix: "/v1/events");
        var client = Client(maxNetworkRetries: 2);

        // The fault waits for an events request: the subscription list before it is answered normally.
        Assert.Empty(await client.V1.Subscriptions.ListAsync(new SubscriptionListOptions()));
        var limited = await Assert.ThrowsAsync<StripeException>(() => client.V1.Events.ListAsync(new EventListOptions()));

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.HttpStatusCode);
        Assert.Equal([reason], limited.StripeResponse.Headers.GetValues("Stripe-Rate-Limited-Reason"));
        Assert.False(limited.StripeResponse.Headers.Contains("Retry-After"));
        Assert.StartsWith("Request rate limit exceeded.", limited.StripeError.Message, StringComparison.Ordinal);
        Assert.StartsWith("req_", limited.StripeResponse.RequestId, StringComparison.Ordinal);
        Assert.Equal([200, 429], Stub.RequestLog.Select(r => r.Status));
        Assert.Equal(0, Stub.Faults.Pending);
    }

    [Fact]
    public async Task A_lock_timeout_is_a_429_with_its_code()
    {
        Stub.Faults.Enqueue(StubFault.LockTimeout());

        var locked = await Assert.ThrowsAsync<StripeException>(() => Client(maxNetworkRetries: 2).V1.Subscriptions.ListAsync(new SubscriptionListOptions()));

        Assert.Equal((HttpStatusCode.TooManyRequests, "lock_timeout"), (locked.HttpStatusCode, locked.StripeError.Code));
        Assert.Equal(1, Stub.CountRequests("/v1/subscriptions"));
    }

    [Fact]
    public async Task A_500_that_says_do_not_retry_is_sent_once()
    {
        Stub.Faults.Enqueue(StubFault.ServerError(500, shouldRetry: false));
        Stub.Faults.Enqueue(StubFault.ServerError(500, shouldRetry: false));

        var failed = await Assert.ThrowsAsync<StripeException>(() => Client(maxNetworkRetries: 2).V1.Events.ListAsync(new EventListOptions()));

        Assert.Equal((HttpStatusCode.InternalServerError, "api_error"), (failed.HttpStatusCode, failed.StripeError.Type));
        Assert.Equal([500], Stub.RequestLog.Select(r => r.Status));
        Assert.Equal(1, Stub.Faults.Pending);
    }

    [Fact]
    public async Task A_503_that_says_retry_is_retried_and_then_answered()
    {
        Stub.Account().AddEvent(StripeEventJson.Subscription("cus_a", "sub_a", "active", NowSeconds - 5, eventId: "evt_test_a"));
        Stub.Faults.Enqueue(StubFault.ServerError(503, shouldRetry: true));

        var events = await Client(maxNetworkRetries: 2).V1.Events.ListAsync(new EventListOptions());

        Assert.Equal(["evt_test_a"], events.Select(e => e.Id));
        Assert.Equal([503, 200], Stub.RequestLog.Select(r => r.Status));
    }

    [Fact]
    public async Task A_502_with_an_HTML_body_is_an_invalid_response_to_Stripe_net()
    {
        Stub.Faults.Enqueue(StubFault.BadGateway());

        var failed = await Assert.ThrowsAsync<StripeException>(() =>
            Client().RawRequestAsync(HttpMethod.Get, "/v1/events?limit=100", null, new RawRequestOptions()));

        Assert.Equal(HttpStatusCode.BadGateway, failed.HttpStatusCode);
        Assert.Null(failed.StripeError);
        Assert.StartsWith("Invalid response object from API", failed.Message, StringComparison.Ordinal);
        Assert.Contains("<h1>502 Bad Gateway</h1>", failed.StripeResponse.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_slow_answer_outlasts_a_short_client_timeout_and_arrives_late_for_a_patient_one()
    {
        Stub.Faults.Enqueue(StubFault.Slow(TimeSpan.FromSeconds(5)));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            Client(timeout: TimeSpan.FromMilliseconds(300)).V1.Subscriptions.ListAsync(new SubscriptionListOptions()));

        Stub.Faults.Enqueue(StubFault.Slow(TimeSpan.FromMilliseconds(400)));
        var watch = Stopwatch.StartNew();
        Assert.Empty(await Client().V1.Subscriptions.ListAsync(new SubscriptionListOptions()));
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(380), $"answered after {watch.Elapsed}");
    }

    [Fact]
    public async Task The_rate_ceiling_answers_a_burst_with_429s_and_a_paced_caller_with_none()
    {
        Stub.Faults.MaxRequestsPerSecond = 5;
        var client = Client();

        var burst = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => StatusOf(client)));
        Assert.Equal(5, burst.Count(s => s == 200));
        Assert.Equal(15, burst.Count(s => s == 429));
        Assert.Equal(15, Stub.RequestLog.Count(r => r.Status == 429));

        // Paced at 2.5 requests a second, after the burst's second has passed: never more than 3 in any second.
        await Task.Delay(TimeSpan.FromSeconds(1.2));
        var paced = new List<int>();
        for (var i = 0; i < 6; i++)
        {
            paced.Add(await StatusOf(client));
            await Task.Delay(TimeSpan.FromMilliseconds(400));
        }

        Assert.All(paced, s => Assert.Equal(200, s));
    }

    private static async Task<int> StatusOf(StripeClient client)
    {
        try
        {
            await client.V1.Subscriptions.ListAsync(new SubscriptionListOptions());
            return 200;
        }
        catch (StripeException exception)
        {
            Assert.Equal(["endpoint-rate"], exception.StripeResponse.Headers.GetValues("Stripe-Rate-Limited-Reason"));
            return (int)exception.HttpStatusCode;
        }
    }
}
