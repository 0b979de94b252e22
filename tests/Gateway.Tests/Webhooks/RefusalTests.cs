using System.Net;
using System.Text;
using Billing.Gateway.Tests.Infrastructure;
using Billing.Gateway.Webhooks;
using Billing.StripeSamples;
using Billing.Testing.Stripe;
using Billing.V1;

namespace Billing.Gateway.Tests.Webhooks;

/// <summary>Every refusal in the contract gets its code, a reason, and leaves nothing stored.</summary>
public sealed class RefusalTests(StackFixture fixture) : IClassFixture<StackFixture>
{
    private static readonly long Now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
    private BillingStack Stack => fixture.Stack;

    public static TheoryData<string> SignatureCases() =>
    [
        "missing header", "garbled header", "empty v1", "wrong secret", "stale timestamp", "future timestamp",
        "body changed after signing",
    ];

    [Theory]
    [MemberData(nameof(SignatureCases))]
    public async Task A_bad_signature_is_refused_with_400_and_leaves_no_trace(string refusal)
    {
        var (customerId, body) = NewActiveSubscriptionEvent();
        var secret = BillingStack.WebhookSecrets[0];
        var (sentBody, header) = refusal switch
        {
            "missing header" => (body, null),
            "garbled header" => (body, "this is not a signature"),
            "empty v1" => (body, $"t={Now},v1="),
            "wrong secret" => (body, WebhookSender.Sign(body, "whsec_not_configured")),
            "stale timestamp" => (body, WebhookSender.Sign(body, secret, DateTimeOffset.UtcNow.AddSeconds(-301))),
            "future timestamp" => (body, WebhookSender.Sign(body, secret, DateTimeOffset.UtcNow.AddSeconds(301))),
            "body changed after signing" => (body.Replace("\"active\"", "\"trialing\"", StringComparison.Ordinal), WebhookSender.Sign(body, secret)),
            _ => throw new ArgumentOutOfRangeException(nameof(refusal)),
        };

        using var response = await Stack.Webhooks.SendRawAsync(sentBody, header);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("\"error\":\"signature\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await AssertNoTraceAsync(customerId, body);
    }

    public static TheoryData<string, string> MalformedBodies() => new()
    {
        { "not JSON", "{\"id\": \"evt_1\", " },
        { "JSON array", "[1, 2, 3]" },
        { "JSON string", "\"evt_1\"" },
        { "no id", """{"type":"customer.subscription.updated","data":{"object":{"id":"sub_1"}}}""" },
        { "no type", """{"id":"evt_x","data":{"object":{"id":"sub_1"}}}""" },
        { "no data", """{"id":"evt_x","type":"customer.subscription.updated"}""" },
        { "no data.object", """{"id":"evt_x","type":"customer.subscription.updated","data":{}}""" },
        { "data.object not an object", """{"id":"evt_x","type":"customer.subscription.updated","data":{"object":"sub_1"}}""" },
    };

    [Theory]
    [MemberData(nameof(MalformedBodies))]
    public async Task A_signed_body_that_is_not_a_Stripe_event_is_refused_with_400(string description, string body)
    {
        using var response = await Stack.Webhooks.SendAsync(body);

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, description);
        Assert.Contains("\"error\":\"malformed\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_over_one_mebibyte_is_refused_with_413_and_leaves_no_trace()
    {
        var (customerId, body) = NewActiveSubscriptionEvent();
        // Valid JSON and validly signed, only too large: the size alone is refused.
        var padded = body[..^1] + ",\"padding\":\"" + new string('x', WebhookApi.MaxBodyBytes) + "\"}";

        using var response = await Stack.Webhooks.SendAsync(padded);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        await AssertNoTraceAsync(customerId, body);
    }

    [Fact]
    public async Task A_body_just_under_the_limit_is_accepted()
    {
        var (_, body) = NewActiveSubscriptionEvent();
        var padding = WebhookApi.MaxBodyBytes - Encoding.UTF8.GetByteCount(body) - 20;
        var padded = body[..^1] + ",\"padding\":\"" + new string('x', padding) + "\"}";
        Assert.True(Encoding.UTF8.GetByteCount(padded) <= WebhookApi.MaxBodyBytes);

        Assert.Equal("applied", await Stack.Webhooks.ApplyAsync(padded));
    }

    [Fact]
    public async Task A_body_streamed_without_content_length_over_the_limit_is_refused_with_413()
    {
        var (customerId, body) = NewActiveSubscriptionEvent();
        var padded = body[..^1] + ",\"padding\":\"" + new string('x', 2 * WebhookApi.MaxBodyBytes) + "\"}";
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(WebhookSender.Route, UriKind.Relative))
        {
            Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(padded))),
        };
        request.Headers.TransferEncodingChunked = true;
        request.Headers.TryAddWithoutValidation("Stripe-Signature", WebhookSender.Sign(padded, BillingStack.WebhookSecrets[0]));

        using var response = await Stack.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        await AssertNoTraceAsync(customerId, body);
    }

    private static (string CustomerId, string Body) NewActiveSubscriptionEvent()
    {
        var customerId = StripeEventJson.NewCustomerId();
        return (customerId, StripeEventJson.Subscription(customerId, "sub_refused", "active", Now));
    }

    // Nothing stored: the customer is still unknown, and the very same event, properly signed, is applied (not a
    // duplicate) afterwards.
    private async Task AssertNoTraceAsync(string customerId, string body)
    {
        var before = await Stack.Entitlements.GetEntitlementsAsync(new GetEntitlementsRequest { CustomerId = customerId });
        Assert.Equal(0, before.Version);
        Assert.Equal(AccessState.None, before.Access);

        Assert.Equal("applied", await Stack.Webhooks.ApplyAsync(body));
        var after = await Stack.Entitlements.GetEntitlementsAsync(new GetEntitlementsRequest { CustomerId = customerId });
        Assert.Equal(AccessState.Active, after.Access);
    }
}
