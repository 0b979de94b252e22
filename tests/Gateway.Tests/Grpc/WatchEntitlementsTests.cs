using Billing.Gateway.Tests.Infrastructure;
using Billing.StripeSamples;
using Billing.V1;
using Grpc.Core;

namespace Billing.Gateway.Tests.Grpc;

/// <summary>WatchEntitlements: the current state first, then one message per change, for every watcher.</summary>
public sealed class WatchEntitlementsTests(StackFixture fixture) : IClassFixture<StackFixture>
{
    private static readonly long Now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
    private BillingStack Stack => fixture.Stack;

    [Fact]
    public async Task Every_watcher_sees_the_current_state_then_every_version_in_order()
    {
        var customerId = StripeEventJson.NewCustomerId();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var watchers = Enumerable.Range(0, 3)
            .Select(_ => Stack.Entitlements.WatchEntitlements(new WatchEntitlementsRequest { CustomerId = customerId }, cancellationToken: timeout.Token))
            .ToList();
        var firsts = await Task.WhenAll(watchers.Select(w => ReadAsync(w, timeout.Token)));
        Assert.All(firsts, first => Assert.Equal((0L, AccessState.None), (first.Version, first.Access)));

        string[] statuses = ["trialing", "active", "past_due", "active", "canceled"];
        for (var i = 0; i < statuses.Length; i++)
        {
            var type = statuses[i] == "canceled" ? "customer.subscription.deleted" : "customer.subscription.updated";
            await Stack.Webhooks.ApplyAsync(StripeEventJson.Subscription(customerId, "sub_1", statuses[i], Now + i, type));
        }

        AccessState[] expected = [AccessState.Active, AccessState.Grace, AccessState.Active, AccessState.None];
        foreach (var watcher in watchers)
        {
            for (var version = 1; version <= expected.Length; version++)
            {
                var message = await ReadAsync(watcher, timeout.Token);
                Assert.Equal(version, message.Version);
                Assert.Equal(expected[version - 1], message.Access);
            }

            watcher.Dispose();
        }
    }

    [Fact]
    public async Task A_watch_that_starts_after_changes_begins_with_the_latest_state()
    {
        var customerId = StripeEventJson.NewCustomerId();
        await Stack.Webhooks.ApplyAsync(StripeEventJson.Subscription(customerId, "sub_1", "active", Now));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        using var watch = Stack.Entitlements.WatchEntitlements(new WatchEntitlementsRequest { CustomerId = customerId }, cancellationToken: timeout.Token);

        var first = await ReadAsync(watch, timeout.Token);
        Assert.Equal(1, first.Version);
        Assert.Equal(["exports", "reports"], first.Features);
    }

    [Fact]
    public async Task Cancelling_ends_the_watch_cleanly()
    {
        using var cancel = new CancellationTokenSource();
        using var watch = Stack.Entitlements.WatchEntitlements(new WatchEntitlementsRequest { CustomerId = "cus_watch_cancel" }, cancellationToken: cancel.Token);
        await ReadAsync(watch, CancellationToken.None);

        await cancel.CancelAsync();

        var error = await Assert.ThrowsAsync<RpcException>(() => watch.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal(StatusCode.Cancelled, error.StatusCode);
    }

    [Fact]
    public async Task An_invalid_customer_id_is_refused()
    {
        using var watch = Stack.Entitlements.WatchEntitlements(new WatchEntitlementsRequest { CustomerId = "" });
        var error = await Assert.ThrowsAsync<RpcException>(() => watch.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
    }

    private static async Task<CustomerEntitlements> ReadAsync(AsyncServerStreamingCall<CustomerEntitlements> call, CancellationToken cancellationToken)
    {
        Assert.True(await call.ResponseStream.MoveNext(cancellationToken), "the watch ended early");
        return call.ResponseStream.Current;
    }
}
