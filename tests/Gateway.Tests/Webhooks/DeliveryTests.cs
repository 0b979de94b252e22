using System.Net;
using Billing.Gateway.Tests.Infrastructure;
using Billing.StripeSamples;
using Billing.Testing.Stripe;
using Billing.V1;

namespace Billing.Gateway.Tests.Webhooks;

/// <summary>At-least-once delivery in, exactly-once effect out.</summary>
public sealed class DeliveryTests(StackFixture fixture) : IClassFixture<StackFixture>
{
    private static readonly long Now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
    private BillingStack Stack => fixture.Stack;

    [Fact]
    public async Task Concurrent_deliveries_of_one_event_are_applied_exactly_once()
    {
        var customerId = StripeEventJson.NewCustomerId();
        var body = StripeEventJson.Subscription(customerId, "sub_1", "active", Now);

        var statuses = await Task.WhenAll(Enumerable.Range(0, 24).Select(_ => Stack.Webhooks.ApplyAsync(body)));

        Assert.Equal(1, statuses.Count(s => s == "applied"));
        Assert.Equal(23, statuses.Count(s => s == "duplicate"));
        var entitlements = await GetAsync(customerId);
        Assert.Equal(1, entitlements.Version);
    }

    [Fact]
    public async Task A_redelivery_after_the_effect_changed_is_still_a_duplicate()
    {
        var customerId = StripeEventJson.NewCustomerId();
        var active = StripeEventJson.Subscription(customerId, "sub_1", "active", Now);
        Assert.Equal("applied", await Stack.Webhooks.ApplyAsync(active));
        Assert.Equal("applied", await Stack.Webhooks.ApplyAsync(StripeEventJson.Subscription(customerId, "sub_1", "canceled", Now + 10, "customer.subscription.deleted")));

        Assert.Equal("duplicate", await Stack.Webhooks.ApplyAsync(active));
        Assert.Equal(AccessState.None, (await GetAsync(customerId)).Access);
    }

    [Fact]
    public async Task Out_of_order_snapshots_end_in_the_state_of_the_newest()
    {
        var customerId = StripeEventJson.NewCustomerId();
        Assert.Equal("applied", await Stack.Webhooks.ApplyAsync(StripeEventJson.Subscription(customerId, "sub_1", "active", Now + 20, previousStatus: "trialing")));
        Assert.Equal("applied", await Stack.Webhooks.ApplyAsync(StripeEventJson.Subscription(customerId, "sub_1", "trialing", Now, "customer.subscription.created")));

        var entitlements = await GetAsync(customerId);
        Assert.Equal(AccessState.Active, entitlements.Access);
        Assert.Equal(["exports", "reports"], entitlements.Features);
        Assert.Equal(1, entitlements.Version);
    }

    [Fact]
    public async Task A_signature_made_with_the_previous_secret_is_accepted_during_rotation()
    {
        var customerId = StripeEventJson.NewCustomerId();
        var body = StripeEventJson.Subscription(customerId, "sub_1", "active", Now);

        using var response = await Stack.Webhooks.SendRawAsync(body, WebhookSender.Sign(body, BillingStack.WebhookSecrets[1]));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(AccessState.Active, (await GetAsync(customerId)).Access);
    }

    [Fact]
    public async Task A_header_with_several_v1_signatures_is_accepted_when_one_matches()
    {
        var customerId = StripeEventJson.NewCustomerId();
        var body = StripeEventJson.Subscription(customerId, "sub_1", "active", Now);
        var valid = WebhookSender.Sign(body, BillingStack.WebhookSecrets[0]);
        var timestamp = valid.Split(',')[0];
        var header = $"{timestamp},v1={new string('0', 64)},{valid.Split(',')[1]}";

        using var response = await Stack.Webhooks.SendRawAsync(body, header);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Connect_events_belong_to_the_account_scoped_customer()
    {
        var customerId = StripeEventJson.NewCustomerId();
        var body = StripeEventJson.Subscription(customerId, "sub_1", "active", Now, account: "acct_connected");

        Assert.Equal("applied", await Stack.Webhooks.ApplyAsync(body));

        Assert.Equal(AccessState.Active, (await GetAsync($"acct_connected/{customerId}")).Access);
        Assert.Equal(AccessState.None, (await GetAsync(customerId)).Access);
    }

    [Fact]
    public async Task An_event_without_a_customer_is_acknowledged_as_ignored()
    {
        var body = StripeEventJson.Envelope("payout.paid", new() { ["id"] = "po_1", ["object"] = "payout" }, Now);
        Assert.Equal("ignored", await Stack.Webhooks.ApplyAsync(body));
    }

    [Fact]
    public async Task An_event_of_a_type_billing_does_not_use_is_acknowledged_as_ignored()
    {
        var body = StripeEventJson.Envelope("charge.succeeded",
            new() { ["id"] = "ch_1", ["object"] = "charge", ["customer"] = StripeEventJson.NewCustomerId() }, Now);
        Assert.Equal("ignored", await Stack.Webhooks.ApplyAsync(body));
    }

    [Fact]
    public async Task An_event_of_an_old_api_version_or_none_is_applied()
    {
        var customerId = StripeEventJson.NewCustomerId();
        var body = StripeEventJson.Subscription(customerId, "sub_1", "trialing", Now)
            .Replace("\"api_version\":\"2026-10-28.endive\",", "", StringComparison.Ordinal);

        Assert.Equal("applied", await Stack.Webhooks.ApplyAsync(body));
        Assert.Equal(AccessState.Active, (await GetAsync(customerId)).Access);
    }

    [Fact]
    public async Task Health_and_readiness_answer_200()
    {
        using var health = await Stack.Http.GetAsync(new Uri("/healthz", UriKind.Relative));
        using var ready = await Stack.Http.GetAsync(new Uri("/readyz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    private async Task<CustomerEntitlements> GetAsync(string customerId) =>
        await Stack.Entitlements.GetEntitlementsAsync(new GetEntitlementsRequest { CustomerId = customerId });
}
