using Billing.Gateway.Tests.Infrastructure;
using Billing.StripeSamples;
using Billing.Testing.Postgres;
using Billing.Testing.Stripe;
using Billing.V1;

namespace Billing.Gateway.Tests.Ordering;

/// <summary>
/// With <c>Stripe:ApiKey</c> set, two snapshots of one second that previous_attributes cannot order are settled by
/// the subscription's status at Stripe (here a local stub speaking Stripe's API).
/// </summary>
public sealed class StripeTieBreakTests : IAsyncLifetime
{
    private TestDatabase? _database;
    private StripeApiStub? _stripe;
    private BillingStack? _stack;

    private StripeApiStub Stripe => _stripe!;

    private BillingStack Stack => _stack!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync("tiebreak");
        _stripe = await StripeApiStub.StartAsync();
        _stack = await BillingStack.StartAsync(_database, new Dictionary<string, string?>
        {
            ["Stripe:ApiKey"] = "sk_test_stub",
            ["Stripe:ApiBase"] = Stripe.BaseAddress.ToString(),
        });
    }

    public async Task DisposeAsync()
    {
        await _stack!.DisposeAsync();
        await _stripe!.DisposeAsync();
        await _database!.DisposeAsync();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Stripe_decides_a_tie_the_events_cannot(bool activeFirst)
    {
        // The status order alone would pick past_due; Stripe says the subscription is active.
        var customerId = StripeEventJson.NewCustomerId();
        var subscriptionId = $"sub_{Guid.NewGuid():N}"[..20];
        Stripe.SubscriptionStatuses[subscriptionId] = "active";
        var created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var active = StripeEventJson.Subscription(customerId, subscriptionId, "active", created);
        var pastDue = StripeEventJson.Subscription(customerId, subscriptionId, "past_due", created);

        foreach (var body in activeFirst ? new[] { active, pastDue } : [pastDue, active])
        {
            Assert.Equal("applied", await Stack.Webhooks.ApplyAsync(body));
        }

        var entitlements = await Stack.Entitlements.GetEntitlementsAsync(new GetEntitlementsRequest { CustomerId = customerId });
        Assert.Equal(AccessState.Active, entitlements.Access);
        Assert.Single(Stripe.Requests, r => r.Path == $"/v1/subscriptions/{subscriptionId}");
    }

    [Fact]
    public async Task A_tie_settled_by_previous_attributes_asks_Stripe_nothing()
    {
        var customerId = StripeEventJson.NewCustomerId();
        var subscriptionId = $"sub_{Guid.NewGuid():N}"[..20];
        var created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        await Stack.Webhooks.ApplyAsync(StripeEventJson.Subscription(customerId, subscriptionId, "trialing", created));
        await Stack.Webhooks.ApplyAsync(StripeEventJson.Subscription(customerId, subscriptionId, "active", created, previousStatus: "trialing"));

        Assert.DoesNotContain(Stripe.Requests, r => r.Path.EndsWith(subscriptionId, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_Connect_subscription_is_fetched_on_its_connected_account()
    {
        var customerId = StripeEventJson.NewCustomerId();
        var subscriptionId = $"sub_{Guid.NewGuid():N}"[..20];
        Stripe.SubscriptionStatuses[subscriptionId] = "trialing";
        var created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        await Stack.Webhooks.ApplyAsync(StripeEventJson.Subscription(customerId, subscriptionId, "trialing", created, account: "acct_connected"));
        await Stack.Webhooks.ApplyAsync(StripeEventJson.Subscription(customerId, subscriptionId, "canceled", created, account: "acct_connected"));

        var request = Assert.Single(Stripe.Requests, r => r.Path.EndsWith(subscriptionId, StringComparison.Ordinal));
        Assert.Equal("acct_connected", request.StripeAccount);
        var entitlements = await Stack.Entitlements.GetEntitlementsAsync(new GetEntitlementsRequest { CustomerId = $"acct_connected/{customerId}" });
        Assert.Equal(AccessState.Active, entitlements.Access);
    }

    [Fact]
    public async Task When_Stripe_cannot_answer_the_status_order_decides()
    {
        var customerId = StripeEventJson.NewCustomerId();
        var subscriptionId = $"sub_{Guid.NewGuid():N}"[..20];
        var created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        await Stack.Webhooks.ApplyAsync(StripeEventJson.Subscription(customerId, subscriptionId, "active", created));
        await Stack.Webhooks.ApplyAsync(StripeEventJson.Subscription(customerId, subscriptionId, "past_due", created));

        var entitlements = await Stack.Entitlements.GetEntitlementsAsync(new GetEntitlementsRequest { CustomerId = customerId });
        Assert.Equal(AccessState.Grace, entitlements.Access);
    }
}
