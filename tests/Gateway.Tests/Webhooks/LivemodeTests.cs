using Billing.Gateway.Tests.Infrastructure;
using Billing.StripeSamples;
using Billing.Testing.Postgres;
using Billing.V1;

namespace Billing.Gateway.Tests.Webhooks;

/// <summary>With <c>Stripe:Livemode</c> set, events of the other mode change nothing.</summary>
public sealed class LivemodeTests : IAsyncLifetime
{
    private TestDatabase? _database;
    private BillingStack? _stack;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync("livemode");
        _stack = await BillingStack.StartAsync(_database, new Dictionary<string, string?> { ["Stripe:Livemode"] = "true" });
    }

    public async Task DisposeAsync()
    {
        await _stack!.DisposeAsync();
        await _database!.DisposeAsync();
    }

    [Fact]
    public async Task A_test_mode_event_is_ignored_by_a_live_gateway_and_a_live_one_applied()
    {
        var customerId = StripeEventJson.NewCustomerId();
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var testMode = StripeEventJson.Subscription(customerId, "sub_1", "active", now);
        var liveMode = testMode.Replace("\"livemode\":false", "\"livemode\":true", StringComparison.Ordinal)
            .Replace("\"id\":\"evt_", "\"id\":\"evt_live_", StringComparison.Ordinal);

        Assert.Equal("ignored", await _stack!.Webhooks.ApplyAsync(testMode));
        var afterTest = await _stack.Entitlements.GetEntitlementsAsync(new GetEntitlementsRequest { CustomerId = customerId });
        Assert.Equal(AccessState.None, afterTest.Access);

        Assert.Equal("applied", await _stack.Webhooks.ApplyAsync(liveMode));
        var afterLive = await _stack.Entitlements.GetEntitlementsAsync(new GetEntitlementsRequest { CustomerId = customerId });
        Assert.Equal(AccessState.Active, afterLive.Access);
    }
}
