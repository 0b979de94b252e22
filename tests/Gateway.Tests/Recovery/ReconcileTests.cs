using System.Net;
using Billing.StripeSamples;
using Billing.Testing.Stripe;

namespace Billing.Gateway.Tests.Recovery;

/// <summary>
/// Reconciliation against Stripe's objects: a drift Stripe never sent an event for is found and repaired (and shows in
/// the history and <c>/admin/drift</c>); a mass drift is reported and nothing is rewritten; a 429 storm slows a job
/// down and loses nothing.
/// </summary>
public sealed class ReconcileTests
{
    private static readonly long Earlier = DateTimeOffset.UtcNow.AddMinutes(-30).ToUnixTimeSeconds();

    [Fact]
    public async Task A_drift_is_found_and_repaired_and_a_matching_customer_is_left_alone()
    {
        await using var recovery = await RecoveryStack.StartAsync("reconcile");
        for (var i = 0; i < 10; i++)
        {
            var customer = $"cus_reconcile_{i}";
            await recovery.Stack.Webhooks.ApplyAsync(StripeEventJson.Subscription(customer, $"sub_reconcile_{i}", "active", Earlier,
                "customer.subscription.created"));
            // Stripe canceled customer 3's subscription, and never sent (or created) the event.
            recovery.Stripe.Account().PutSubscription(StripeObjectJson.Subscription($"sub_reconcile_{i}", customer, i == 3 ? "canceled" : "active", Earlier));
        }

        // A subscription Stripe has and billing never heard of.
        recovery.Stripe.Account().PutSubscription(StripeObjectJson.Subscription("sub_reconcile_new", "cus_reconcile_new", "trialing", Earlier));

        var job = await recovery.RunJobAsync("/admin/stripe/reconcile");

        Assert.Equal("done", (string)job["state"]!);
        Assert.Equal(2, (long)job["counts"]!["repaired"]!);
        Assert.Equal("NONE", (await recovery.EntitlementsAsync("cus_reconcile_3")).Access);
        Assert.Equal("ACTIVE", (await recovery.EntitlementsAsync("cus_reconcile_new")).Access);
        Assert.Equal("ACTIVE", (await recovery.EntitlementsAsync("cus_reconcile_4")).Access);
        var repair = (await recovery.HistoryAsync("cus_reconcile_3"))[^1];
        Assert.Equal(("billing.reconciled", "reconcile", true), (repair.Type, repair.Source, repair.Changed));
        Assert.Single(await recovery.HistoryAsync("cus_reconcile_4"));

        var drift = await recovery.GetAsync("/admin/drift");
        Assert.Equal(11, (long)drift["customers_checked"]!);
        Assert.NotNull((string?)drift["checked_at"]);
        var found = drift["drifts"]!.AsArray().Single(d => (string)d!["customer_id"]! == "cus_reconcile_3")!;
        Assert.Equal("active", (string)found["billing"]!["subscriptions"]!["sub_reconcile_3"]!);
        Assert.Equal("canceled", (string)found["stripe"]!["subscriptions"]!["sub_reconcile_3"]!);
        Assert.Equal(("ACTIVE", "NONE"), ((string)found["billing"]!["access"]!, (string)found["stripe"]!["access"]!));
        Assert.True((bool)found["repaired"]!);

        // Run again: nothing differs any more.
        var second = await recovery.RunJobAsync("/admin/stripe/reconcile");
        Assert.Equal(0, (long)second["counts"]!["repaired"]!);
    }

    [Fact]
    public async Task A_mass_drift_is_reported_and_nothing_is_repaired()
    {
        await using var recovery = await RecoveryStack.StartAsync("reconcile-mass");
        for (var i = 0; i < 30; i++)
        {
            var customer = $"cus_mass_{i:D2}";
            await recovery.Stack.Webhooks.ApplyAsync(StripeEventJson.Subscription(customer, $"sub_mass_{i:D2}", "active", Earlier,
                "customer.subscription.created"));
            // A key of the wrong account would look like this: every subscription "canceled".
            recovery.Stripe.Account().PutSubscription(StripeObjectJson.Subscription($"sub_mass_{i:D2}", customer, "canceled", Earlier));
        }

        var job = await recovery.RunJobAsync("/admin/stripe/reconcile");

        Assert.Equal("failed", (string)job["state"]!);
        Assert.Contains("mass drift: 30 of 30", (string)job["last_error"]!, StringComparison.Ordinal);
        Assert.Equal(0, (long)job["counts"]!["repaired"]!);
        for (var i = 0; i < 30; i++)
        {
            Assert.Equal("ACTIVE", (await recovery.EntitlementsAsync($"cus_mass_{i:D2}")).Access);
        }

        var drifts = (await recovery.GetAsync("/admin/drift"))["drifts"]!.AsArray();
        Assert.Equal(30, drifts.Count);
        Assert.All(drifts, d => Assert.False((bool)d!["repaired"]!));
    }

    [Fact]
    public async Task A_429_storm_slows_the_import_and_loses_nothing()
    {
        const int count = 600;
        await using var recovery = await RecoveryStack.StartAsync("storm", stub =>
        {
            for (var i = 0; i < count; i++)
            {
                stub.Account().PutSubscription(StripeObjectJson.Subscription($"sub_storm_{i:D4}", $"cus_storm_{i:D4}", "active", Earlier + i));
            }

            // Stripe allows fewer requests than billing is configured to make, and fails now and then besides.
            stub.Faults.MaxRequestsPerSecond = 4;
            stub.Faults.Enqueue(StubFault.ServerError(500, shouldRetry: false), "/v1/subscriptions");
            stub.Faults.Enqueue(StubFault.BadGateway(), "/v1/subscriptions");
            stub.Faults.Enqueue(StubFault.LockTimeout(), "/v1/subscriptions");
        }, new Dictionary<string, string?> { ["Stripe:Sync:MaxRequestsPerSecond"] = "50" });

        var job = await recovery.RunJobAsync("/admin/stripe/import", timeout: TimeSpan.FromMinutes(3));

        Assert.Equal("done", (string)job["state"]!);
        Assert.Equal(count, (long)job["counts"]!["applied"]!);
        Assert.Contains(recovery.Stripe.RequestLog, r => r.Status == 429);
        Assert.Contains(recovery.Stripe.RequestLog, r => r.Status == 502);
        for (var i = 0; i < count; i += 37)
        {
            Assert.Equal("ACTIVE", (await recovery.EntitlementsAsync($"cus_storm_{i:D4}")).Access);
        }
    }

    [Fact]
    public async Task The_ceiling_paces_every_call_to_stripe()
    {
        await using var recovery = await RecoveryStack.StartAsync("ceiling", stub =>
        {
            for (var i = 0; i < 1_000; i++)
            {
                stub.Account().PutSubscription(StripeObjectJson.Subscription($"sub_pace_{i:D4}", $"cus_pace_{i:D4}", "active", Earlier + i));
            }
        }, new Dictionary<string, string?> { ["Stripe:Sync:MaxRequestsPerSecond"] = "5" });

        var job = await recovery.RunJobAsync("/admin/stripe/import");
        Assert.Equal("done", (string)job["state"]!);

        // No trailing second holds more than the ceiling (one token at a time, no bursts).
        var times = recovery.Stripe.RequestLog.Select(r => r.At).Order().ToList();
        Assert.True(times.Count > 10, $"{times.Count} requests");
        var busiest = times.Select((t, i) => times.Skip(i).TakeWhile(u => u - t < TimeSpan.FromSeconds(1)).Count()).Max();
        Assert.True(busiest <= 6, $"{busiest} requests within one second against a ceiling of 5");
    }
}
