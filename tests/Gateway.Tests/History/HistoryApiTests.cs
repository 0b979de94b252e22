using Billing.Gateway.Tests.Infrastructure;
using Billing.StripeSamples;
using Billing.V1;
using Grpc.Core;

namespace Billing.Gateway.Tests.History;

/// <summary><c>billing.v1.History.ListCustomerEvents</c> over a real gRPC channel, on the real journal.</summary>
public sealed class HistoryApiTests(StackFixture fixture) : IClassFixture<StackFixture>
{
    private static readonly long Now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
    private BillingStack Stack => fixture.Stack;

    [Fact]
    public async Task Every_applied_event_is_listed_in_order_with_what_it_changed_and_duplicates_and_ignored_types_are_not()
    {
        var customer = StripeEventJson.NewCustomerId();
        var created = StripeEventJson.Subscription(customer, "sub_1", "trialing", Now, "customer.subscription.created");
        var renewed = StripeEventJson.Subscription(customer, "sub_1", "active", Now + 10, previousStatus: "trialing");
        var late = StripeEventJson.Subscription(customer, "sub_1", "incomplete", Now - 10, "customer.subscription.created");
        var pastDue = StripeEventJson.Subscription(customer, "sub_1", "past_due", Now + 20, previousStatus: "active");
        Assert.Equal("applied", await Stack.Webhooks.ApplyAsync(created));
        Assert.Equal("applied", await Stack.Webhooks.ApplyAsync(renewed));
        Assert.Equal("duplicate", await Stack.Webhooks.ApplyAsync(renewed));
        Assert.Equal("applied", await Stack.Webhooks.ApplyAsync(late));
        Assert.Equal("ignored", await Stack.Webhooks.ApplyAsync(StripeEventJson.Envelope("charge.succeeded", new() { ["id"] = "ch_1", ["customer"] = customer }, Now)));
        Assert.Equal("applied", await Stack.Webhooks.ApplyAsync(pastDue));

        var page = await Stack.History.ListCustomerEventsAsync(new ListCustomerEventsRequest { CustomerId = customer });

        Assert.Equal("", page.NextPageToken);
        Assert.Equal([EventId(created), EventId(renewed), EventId(late), EventId(pastDue)], page.Events.Select(e => e.EventId));
        Assert.Equal(["customer.subscription.created", "customer.subscription.updated", "customer.subscription.created", "customer.subscription.updated"],
            page.Events.Select(e => e.Type));
        Assert.All(page.Events, e => Assert.Equal("webhook", e.Source));
        Assert.Equal([true, false, false, true], page.Events.Select(e => e.Changed)); // active after trialing: same access; the late snapshot: older
        Assert.Equal([1L, 1, 1, 2], page.Events.Select(e => e.EntitlementsAfter.Version));
        Assert.Equal(V1.AccessState.Grace, page.Events[^1].EntitlementsAfter.Access);
        Assert.Equal(Now + 10, page.Events[1].Created.Seconds);
        Assert.True(page.Events.Zip(page.Events.Skip(1)).All(pair => pair.First.RecordedAt.ToDateTimeOffset() <= pair.Second.RecordedAt.ToDateTimeOffset()));
        Assert.Equal(customer, page.Events[0].EntitlementsAfter.CustomerId);
    }

    [Fact]
    public async Task Pages_walk_the_whole_history_and_the_last_one_has_no_token()
    {
        var customer = StripeEventJson.NewCustomerId();
        for (var i = 0; i < 5; i++)
        {
            await Stack.Webhooks.ApplyAsync(StripeEventJson.Subscription(customer, "sub_1", i % 2 == 0 ? "active" : "past_due", Now + i));
        }

        var versions = new List<long>();
        var pages = 0;
        var token = "";
        do
        {
            var page = await Stack.History.ListCustomerEventsAsync(new ListCustomerEventsRequest { CustomerId = customer, PageSize = 2, PageToken = token });
            Assert.InRange(page.Events.Count, 1, 2);
            versions.AddRange(page.Events.Select(e => e.EntitlementsAfter.Version));
            token = page.NextPageToken;
            pages++;
        }
        while (token != "");

        Assert.Equal(3, pages);
        Assert.Equal([1L, 2, 3, 4, 5], versions);
    }

    [Fact]
    public async Task A_customer_never_seen_has_an_empty_history()
    {
        var page = await Stack.History.ListCustomerEventsAsync(new ListCustomerEventsRequest { CustomerId = StripeEventJson.NewCustomerId() });

        Assert.Empty(page.Events);
        Assert.Equal("", page.NextPageToken);
    }

    [Theory]
    [InlineData(-1, "")]
    [InlineData(501, "")]
    [InlineData(10, "not-a-token")]
    [InlineData(10, "AAAAAAAAAAEAAAAAAAAAAA")]
    public async Task A_bad_page_size_or_a_token_the_server_did_not_issue_is_an_invalid_argument(int pageSize, string token)
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => Stack.History.ListCustomerEventsAsync(
            new ListCustomerEventsRequest { CustomerId = "cus_history_bad", PageSize = pageSize, PageToken = token }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
    }

    [Fact]
    public async Task A_token_issued_for_another_customer_is_an_invalid_argument()
    {
        var customer = StripeEventJson.NewCustomerId();
        for (var i = 0; i < 3; i++)
        {
            await Stack.Webhooks.ApplyAsync(StripeEventJson.Subscription(customer, "sub_1", "active", Now + i));
        }

        var first = await Stack.History.ListCustomerEventsAsync(new ListCustomerEventsRequest { CustomerId = customer, PageSize = 1 });
        Assert.NotEqual("", first.NextPageToken);

        var error = await Assert.ThrowsAsync<RpcException>(() => Stack.History.ListCustomerEventsAsync(
            new ListCustomerEventsRequest { CustomerId = StripeEventJson.NewCustomerId(), PageToken = first.NextPageToken }).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    public async Task An_empty_or_too_long_customer_id_is_an_invalid_argument(string? customer)
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => Stack.History.ListCustomerEventsAsync(
            new ListCustomerEventsRequest { CustomerId = customer ?? new string('c', 256) }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
    }

    private static string EventId(string body) => System.Text.Json.Nodes.JsonNode.Parse(body)!["id"]!.GetValue<string>();
}
