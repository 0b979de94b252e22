using System.Net;
using Billing.StripeSamples;

namespace Billing.Gateway.Tests.Recovery;

/// <summary>An operator re-applies a journaled event: it goes through the ordering rules and never rolls state back.</summary>
public sealed class ReplayTests
{
    [Fact]
    public async Task Replaying_an_old_event_changes_nothing_newer_and_shows_in_the_history()
    {
        await using var recovery = await RecoveryStack.StartAsync("replay", apiKey: false);
        var customer = StripeEventJson.NewCustomerId();
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        await recovery.Stack.Webhooks.ApplyAsync(StripeEventJson.Subscription(customer, "sub_replay", "active", now - 60,
            "customer.subscription.created", eventId: "evt_replay_active"));
        await recovery.Stack.Webhooks.ApplyAsync(StripeEventJson.Subscription(customer, "sub_replay", "canceled", now - 30,
            "customer.subscription.deleted", eventId: "evt_replay_deleted"));

        var (status, body) = await recovery.PostAsync($"/admin/customers/{customer}/events/evt_replay_active/replay");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("NONE", (string)body["entitlements_after"]!["access"]!);
        Assert.Equal("NONE", (await recovery.EntitlementsAsync(customer)).Access);
        var replayed = (await recovery.HistoryAsync(customer))[^1];
        Assert.Equal(("replay", false), (replayed.Source, replayed.Changed));
        Assert.StartsWith("evt_replay_active:replay:", replayed.EventId, StringComparison.Ordinal);

        var (missing, _) = await recovery.PostAsync($"/admin/customers/{customer}/events/evt_unknown/replay");
        Assert.Equal(HttpStatusCode.NotFound, missing);
    }

    [Fact]
    public async Task Replaying_the_latest_event_reapplies_it()
    {
        await using var recovery = await RecoveryStack.StartAsync("replay-latest", apiKey: false);
        var customer = StripeEventJson.NewCustomerId();
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        await recovery.Stack.Webhooks.ApplyAsync(StripeEventJson.Subscription(customer, "sub_r", "active", now - 10, eventId: "evt_replay_latest"));

        var (status, body) = await recovery.PostAsync($"/admin/customers/{customer}/events/evt_replay_latest/replay");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("ACTIVE", (string)body["entitlements_after"]!["access"]!);
        Assert.Equal(2, (await recovery.HistoryAsync(customer)).Count);
    }
}
