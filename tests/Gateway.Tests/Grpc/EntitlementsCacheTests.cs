using System.Collections.Immutable;
using System.Diagnostics;
using Billing.Gateway.Caching;
using Billing.Gateway.Tests.Infrastructure;
using Billing.Grains.Customers;
using Billing.Grains.Events;
using Billing.StripeSamples;
using Billing.V1;
using Microsoft.Extensions.DependencyInjection;
using GrpcAccessState = Billing.V1.AccessState;

namespace Billing.Gateway.Tests.Grpc;

/// <summary>
/// The gateway's near-cache: hot reads are answered in the gateway, changes it did not make arrive by the silos' feeds,
/// a lost feed batch is noticed within a heartbeat and the customer read again, a silent feed sends its customers'
/// reads to the grains, a cached customer's grain may deactivate (its departure is followed), idle customers leave,
/// and it can be switched off.
/// </summary>
public sealed class EntitlementsCacheTests() : OwnDatabaseTests("cache")
{
    private static readonly long Now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
    [Fact]
    public async Task Reads_of_a_cached_customer_stay_in_the_gateway_and_follow_changes_made_elsewhere()
    {
        await using var stack = await BillingStack.StartAsync(Database);
        using var reads = new GatewayInstrument(stack, "billing.entitlements.reads");
        var customerId = StripeEventJson.NewCustomerId();
        Assert.Equal("applied", await stack.Webhooks.ApplyAsync(StripeEventJson.Subscription(customerId, "sub_1", "active", Now)));

        Assert.True((await CheckAsync(stack, customerId, "reports")).Allowed);
        for (var i = 0; i < 20; i++)
        {
            Assert.True((await CheckAsync(stack, customerId, "reports")).Allowed);
        }

        Assert.Equal(1, reads.SumWhereSource("grain"));
        Assert.Equal(20, reads.SumWhereSource("cache"));

        // A change this gateway did not make (another gateway, the grace timer): the silo's feed brings it.
        var grain = stack.Cluster.Client.GetGrain<ICustomerGrain>(customerId);
        Assert.Equal(ApplyStatus.Applied, await grain.ApplyAsync(Canceled(customerId, "sub_1", Now + 60)));
        var seen = await EventuallyAsync(stack, customerId, e => e.Access == GrpcAccessState.None, TimeSpan.FromSeconds(5));
        Assert.Equal(2, seen.Version);
        Assert.Equal(1, reads.SumWhereSource("grain"));
    }

    [Fact]
    public async Task A_webhook_through_this_gateway_is_read_back_at_once_even_when_the_feed_brings_nothing()
    {
        await using var stack = await BillingStack.StartAsync(Database);
        var customerId = StripeEventJson.NewCustomerId();
        Assert.Equal("applied", await stack.Webhooks.ApplyAsync(StripeEventJson.Subscription(customerId, "sub_1", "active", Now)));
        Assert.Equal(GrpcAccessState.Active, (await GetAsync(stack, customerId)).Access);

        // The feed's batches are lost: only the gateway's own write path can bring the cached entry up to date before
        // the 200.
        stack.Gateway.Services.GetRequiredService<EntitlementsFeedFollower>().Drop = batch => batch.Changes.Any(c => c.CustomerId == customerId);
        Assert.Equal("applied", await stack.Webhooks.ApplyAsync(
            StripeEventJson.Subscription(customerId, "sub_1", "canceled", Now + 60, "customer.subscription.deleted")));

        var after = await GetAsync(stack, customerId);
        Assert.Equal(GrpcAccessState.None, after.Access);
        Assert.Equal(2, after.Version);
    }

    [Fact]
    public async Task A_change_whose_feed_batch_was_lost_is_seen_within_a_second()
    {
        await using var stack = await BillingStack.StartAsync(Database);
        using var reads = new GatewayInstrument(stack, "billing.entitlements.reads");
        var customerId = StripeEventJson.NewCustomerId();
        Assert.Equal("applied", await stack.Webhooks.ApplyAsync(StripeEventJson.Subscription(customerId, "sub_1", "active", Now)));
        await GetAsync(stack, customerId);
        Assert.Equal(GrpcAccessState.Active, (await GetAsync(stack, customerId)).Access);
        Assert.Equal(1, reads.SumWhereSource("cache"));

        // The batch carrying the change is lost on its way (once); the next heartbeat shows the gap.
        var dropped = 0;
        stack.Gateway.Services.GetRequiredService<EntitlementsFeedFollower>().Drop =
            batch => batch.Changes.Any(c => c.CustomerId == customerId) && Interlocked.Increment(ref dropped) == 1;
        var grain = stack.Cluster.Client.GetGrain<ICustomerGrain>(customerId);
        Assert.Equal(ApplyStatus.Applied, await grain.ApplyAsync(Canceled(customerId, "sub_1", Now + 60)));
        var changed = Stopwatch.StartNew();

        var seen = await EventuallyAsync(stack, customerId, e => e.Access == GrpcAccessState.None, TimeSpan.FromSeconds(5));
        var staleness = changed.Elapsed;
        Assert.Equal(1, dropped);
        Assert.Equal(2, seen.Version);
        Assert.True(staleness < TimeSpan.FromSeconds(1), $"a lost change was seen after {staleness.TotalMilliseconds:F0} ms");
        Console.WriteLine($"near-cache: a change whose feed batch was lost was seen after {staleness.TotalMilliseconds:F0} ms");
    }

    [Fact]
    public async Task A_silent_feed_sends_its_customers_reads_to_the_grains_and_idle_customers_leave()
    {
        await using var stack = await BillingStack.StartAsync(Database, new Dictionary<string, string?>
        {
            ["Gateway:EntitlementsCache:IdleTimeout"] = "00:00:02",
        });
        using var reads = new GatewayInstrument(stack, "billing.entitlements.reads");
        var cache = stack.Gateway.Services.GetRequiredService<EntitlementsCache>();
        var customerId = StripeEventJson.NewCustomerId();
        await GetAsync(stack, customerId);
        await GetAsync(stack, customerId);
        Assert.Equal(1, cache.Count);
        Assert.Equal(1, reads.SumWhereSource("cache"));

        // Nothing arrives from the silo any more (it died, or the network dropped it): after the silence timeout its
        // customers are read from their grains.
        var follower = stack.Gateway.Services.GetRequiredService<EntitlementsFeedFollower>();
        follower.Drop = _ => true;
        await Task.Delay(TimeSpan.FromSeconds(2));
        await GetAsync(stack, customerId);
        Assert.Equal(2, reads.SumWhereSource("grain"));

        follower.Drop = null;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (cache.Count > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public async Task A_cached_customers_grain_may_deactivate_and_its_departure_sends_the_next_read_to_the_grain()
    {
        await using var stack = await BillingStack.StartAsync(Database);
        using var reads = new GatewayInstrument(stack, "billing.entitlements.reads");
        var customerId = StripeEventJson.NewCustomerId();
        Assert.Equal("applied", await stack.Webhooks.ApplyAsync(StripeEventJson.Subscription(customerId, "sub_1", "active", Now)));
        await GetAsync(stack, customerId);
        await GetAsync(stack, customerId);
        Assert.Equal(1, reads.SumWhereSource("grain"));
        var management = stack.Cluster.Client.GetGrain<IManagementGrain>(0);

        // Nothing the cache does holds the grain: collected, it leaves its silo, and the feed says so.
        await Task.Delay(TimeSpan.FromSeconds(1));
        await management.ForceActivationCollection(TimeSpan.FromMilliseconds(500));
        var active = await management.GetDetailedGrainStatistics([typeof(Grains.Customers.CustomerGrain).FullName!]);
        Assert.DoesNotContain(active, s => s.GrainId.Key.ToString() == customerId);

        // The next change would come from whichever silo activates it next: the entry is read from the grain again.
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(GrpcAccessState.Active, (await GetAsync(stack, customerId)).Access);
        Assert.Equal(2, reads.SumWhereSource("grain"));
    }

    [Fact]
    public async Task With_the_cache_off_every_read_goes_to_the_grain()
    {
        await using var stack = await BillingStack.StartAsync(Database, new Dictionary<string, string?>
        {
            ["Gateway:EntitlementsCache:Enabled"] = "false",
        });
        using var reads = new GatewayInstrument(stack, "billing.entitlements.reads");
        var customerId = StripeEventJson.NewCustomerId();
        Assert.Equal("applied", await stack.Webhooks.ApplyAsync(StripeEventJson.Subscription(customerId, "sub_1", "active", Now)));

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(GrpcAccessState.Active, (await GetAsync(stack, customerId)).Access);
        }

        Assert.Equal(3, reads.SumWhereSource("grain"));
        Assert.Equal(0, stack.Gateway.Services.GetRequiredService<EntitlementsCache>().Count);
    }

    private static StripeEvent Canceled(string customerId, string subscriptionId, long created) =>
        new($"evt_direct_{Guid.NewGuid():N}", "customer.subscription.deleted", StripeEventKind.SubscriptionDeleted, created,
            new SubscriptionSnapshot(subscriptionId, "canceled", null,
                [new SubscriptionItem("price_pro", null, "prod_test", ImmutableArray<string>.Empty)]));

    private static async Task<V1.CustomerEntitlements> GetAsync(BillingStack stack, string customerId) =>
        await stack.Entitlements.GetEntitlementsAsync(new GetEntitlementsRequest { CustomerId = customerId });

    private static async Task<CheckEntitlementResponse> CheckAsync(BillingStack stack, string customerId, string feature) =>
        await stack.Entitlements.CheckEntitlementAsync(new CheckEntitlementRequest { CustomerId = customerId, Feature = feature });

    private static async Task<V1.CustomerEntitlements> EventuallyAsync(BillingStack stack, string customerId,
        Func<V1.CustomerEntitlements, bool> condition, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            var entitlements = await GetAsync(stack, customerId);
            if (condition(entitlements))
            {
                return entitlements;
            }

            Assert.True(DateTime.UtcNow < deadline, $"not seen within {within}: {entitlements}");
            await Task.Delay(50);
        }
    }
}
