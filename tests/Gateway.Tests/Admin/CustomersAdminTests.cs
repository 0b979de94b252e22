using System.Net;
using System.Text.Json.Nodes;
using Billing.Gateway.Tests.Infrastructure;
using Billing.StripeSamples;

namespace Billing.Gateway.Tests.Admin;

/// <summary><c>GET /admin/customers/{id}</c> and <c>/events</c> over real HTTP: what operators read about one customer.</summary>
public sealed class CustomersAdminTests(StackFixture fixture) : IClassFixture<StackFixture>
{
    private static readonly long Now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
    private BillingStack Stack => fixture.Stack;

    [Fact]
    public async Task A_customer_shows_entitlements_and_subscriptions_in_the_contracts_shape()
    {
        var customer = StripeEventJson.NewCustomerId();
        await Stack.Webhooks.ApplyAsync(StripeEventJson.Subscription(customer, "sub_b", "active", Now));
        await Stack.Webhooks.ApplyAsync(StripeEventJson.Subscription(customer, "sub_a", "canceled", Now - 5, "customer.subscription.deleted"));

        var json = await GetAsync($"/admin/customers/{customer}");

        Assert.Equal(["customer_id", "access", "features", "version", "updated_at", "subscriptions", "risk"], json.AsObject().Select(p => p.Key));
        Assert.Equal(customer, (string)json["customer_id"]!);
        Assert.Equal("ACTIVE", (string)json["access"]!);
        Assert.Equal(["exports", "reports"], json["features"]!.AsArray().Select(f => (string)f!));
        Assert.Equal(1, (int)json["version"]!);
        Assert.EndsWith("Z", (string)json["updated_at"]!, StringComparison.Ordinal);
        var subscriptions = json["subscriptions"]!.AsArray();
        Assert.Equal(["sub_a", "sub_b"], subscriptions.Select(s => (string)s!["id"]!));
        Assert.Equal(["canceled", "active"], subscriptions.Select(s => (string)s!["status"]!));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(Now), DateTimeOffset.Parse((string)subscriptions[1]!["created"]!, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task A_customer_never_seen_is_none_at_version_zero()
    {
        var json = await GetAsync($"/admin/customers/{StripeEventJson.NewCustomerId()}");

        Assert.Equal("NONE", (string)json["access"]!);
        Assert.Equal(0, (int)json["version"]!);
        Assert.Empty(json["subscriptions"]!.AsArray());
    }

    [Fact]
    public async Task The_history_pages_with_tokens_and_a_connect_customer_is_url_encoded()
    {
        var customer = StripeEventJson.NewCustomerId();
        var key = $"acct_admin/{customer}";
        for (var i = 0; i < 3; i++)
        {
            await Stack.Webhooks.ApplyAsync(StripeEventJson.Subscription(customer, "sub_1", i == 1 ? "past_due" : "active", Now + i, account: "acct_admin"));
        }

        var first = await GetAsync($"/admin/customers/{Uri.EscapeDataString(key)}/events?page_size=2");
        var events = first["events"]!.AsArray();
        Assert.Equal(2, events.Count);
        Assert.Equal(["event_id", "type", "created", "recorded_at", "source", "changed", "entitlements_after"], events[0]!.AsObject().Select(p => p.Key));
        Assert.Equal("webhook", (string)events[0]!["source"]!);
        Assert.Equal(["access", "features", "version"], events[0]!["entitlements_after"]!.AsObject().Select(p => p.Key));
        Assert.Equal(["ACTIVE", "GRACE"], events.Select(e => (string)e!["entitlements_after"]!["access"]!));
        var token = (string)first["next_page_token"]!;
        Assert.NotEqual("", token);

        var last = await GetAsync($"/admin/customers/{Uri.EscapeDataString(key)}/events?page_size=2&page_token={Uri.EscapeDataString(token)}");
        Assert.Equal("ACTIVE", (string)Assert.Single(last["events"]!.AsArray())!["entitlements_after"]!["access"]!);
        Assert.Equal("", (string)last["next_page_token"]!);

        var customerView = await GetAsync($"/admin/customers/{Uri.EscapeDataString(key)}");
        Assert.Equal(key, (string)customerView["customer_id"]!);
    }

    [Theory]
    [InlineData("page_size=0")]
    [InlineData("page_size=501")]
    [InlineData("page_token=forged")]
    public async Task A_bad_page_size_or_token_is_a_400(string query)
    {
        using var response = await Stack.Admin.GetAsync(new Uri($"/admin/customers/cus_admin_bad/events?{query}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("bad_request", (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!);
    }

    private async Task<JsonNode> GetAsync(string path)
    {
        using var response = await Stack.Admin.GetAsync(new Uri(path, UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!;
    }
}
