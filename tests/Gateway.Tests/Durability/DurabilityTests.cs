using System.Net;
using Billing.Gateway.Tests.Infrastructure;
using Billing.StripeSamples;
using Billing.V1;

namespace Billing.Gateway.Tests.Durability;

/// <summary>A 200 means stored: state and dedupe survive restarts, and a storage failure is never a 200.</summary>
public sealed class DurabilityTests() : OwnDatabaseTests("durability")
{
    private static readonly long Now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
    [Fact]
    public async Task State_and_dedupe_survive_a_restart_of_the_whole_cluster()
    {
        var customerId = StripeEventJson.NewCustomerId();
        var created = StripeEventJson.Subscription(customerId, "sub_1", "trialing", Now, "customer.subscription.created");
        var activated = StripeEventJson.Subscription(customerId, "sub_1", "active", Now + 60, previousStatus: "trialing");

        CustomerEntitlements before;
        await using (var first = await BillingStack.StartAsync(Database))
        {
            Assert.Equal("applied", await first.Webhooks.ApplyAsync(created));
            Assert.Equal("applied", await first.Webhooks.ApplyAsync(activated));
            before = await first.Entitlements.GetEntitlementsAsync(new GetEntitlementsRequest { CustomerId = customerId });
        }

        await using var second = await BillingStack.StartAsync(Database);

        var after = await second.Entitlements.GetEntitlementsAsync(new GetEntitlementsRequest { CustomerId = customerId });
        Assert.Equal(before, after);
        Assert.Equal(AccessState.Active, after.Access);
        Assert.Equal("duplicate", await second.Webhooks.ApplyAsync(created));
        Assert.Equal("duplicate", await second.Webhooks.ApplyAsync(activated));
    }

    [Fact]
    public async Task A_storage_failure_answers_503_and_the_retried_delivery_is_applied_once()
    {
        await using var stack = await BillingStack.StartAsync(Database);
        var customerId = StripeEventJson.NewCustomerId();
        var body = StripeEventJson.Subscription(customerId, "sub_1", "active", Now);

        stack.JournalFaults.FailAppends = true;
        using (var failed = await stack.Webhooks.SendAsync(body))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
        }

        // Still down: Stripe's next retry fails the same way, and nothing half-applied shows through.
        using (var failedAgain = await stack.Webhooks.SendAsync(body))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, failedAgain.StatusCode);
        }

        var during = await stack.Entitlements.GetEntitlementsAsync(new GetEntitlementsRequest { CustomerId = customerId });
        Assert.Equal(AccessState.None, during.Access);
        Assert.Equal(0, during.Version);

        stack.JournalFaults.FailAppends = false;
        Assert.Equal("applied", await stack.Webhooks.ApplyAsync(body));
        Assert.Equal("duplicate", await stack.Webhooks.ApplyAsync(body));
        var after = await stack.Entitlements.GetEntitlementsAsync(new GetEntitlementsRequest { CustomerId = customerId });
        Assert.Equal(AccessState.Active, after.Access);
        Assert.Equal(1, after.Version);
    }

    [Fact]
    public async Task A_version_conflict_is_retried_by_the_gateway_and_the_event_applied_once()
    {
        await using var stack = await BillingStack.StartAsync(Database);
        var customerId = StripeEventJson.NewCustomerId();
        Assert.Equal("applied", await stack.Webhooks.ApplyAsync(StripeEventJson.Subscription(customerId, "sub_1", "active", Now)));
        var body = StripeEventJson.Subscription(customerId, "sub_1", "past_due", Now + 60, previousStatus: "active");

        // Another activation wrote first (a silo handing its grains over): the grain reloads, the gateway retries.
        stack.JournalFaults.ConflictingAppends = 1;
        Assert.Equal("applied", await stack.Webhooks.ApplyAsync(body));
        Assert.Equal(0, stack.JournalFaults.ConflictingAppends);

        Assert.Equal("duplicate", await stack.Webhooks.ApplyAsync(body));
        var after = await stack.Entitlements.GetEntitlementsAsync(new GetEntitlementsRequest { CustomerId = customerId });
        Assert.Equal(AccessState.Grace, after.Access);
        Assert.Equal(2, after.Version);
    }

    [Fact]
    public async Task An_append_whose_outcome_is_unknown_answers_503_and_its_redelivery_finds_it_applied_once()
    {
        await using var stack = await BillingStack.StartAsync(Database);
        var customerId = StripeEventJson.NewCustomerId();
        var body = StripeEventJson.Subscription(customerId, "sub_1", "active", Now);

        // The commit reached the disk, but its answer never reached the silo (a connection lost at the wrong moment).
        stack.JournalFaults.UnknownAfterCommit = 1;
        using (var uncertain = await stack.Webhooks.SendAsync(body))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, uncertain.StatusCode);
        }

        // Stripe's retry meets a customer reloaded from the journal, which holds the event.
        Assert.Equal("duplicate", await stack.Webhooks.ApplyAsync(body));
        var after = await stack.Entitlements.GetEntitlementsAsync(new GetEntitlementsRequest { CustomerId = customerId });
        Assert.Equal(AccessState.Active, after.Access);
        Assert.Equal(1, after.Version);
        Assert.Single(await stack.Journal.ReadAsync(customerId, 0, long.MaxValue, 10, withFacts: false));
    }

    [Fact]
    public async Task Deliveries_queued_behind_a_failed_write_are_not_answered_as_duplicates()
    {
        await using var stack = await BillingStack.StartAsync(Database);
        var customerId = StripeEventJson.NewCustomerId();
        Assert.Equal("applied", await stack.Webhooks.ApplyAsync(StripeEventJson.Subscription(customerId, "sub_1", "active", Now)));
        var body = StripeEventJson.Subscription(customerId, "sub_1", "past_due", Now + 60, previousStatus: "active");

        // Concurrent redeliveries queue on the one activation whose write fails: none may find the event id that
        // the failed write left in memory and answer 200 "duplicate" for an event that was never stored.
        stack.JournalFaults.FailAppends = true;
        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(async _ =>
        {
            using var response = await stack.Webhooks.SendAsync(body);
            return response.StatusCode;
        }));
        Assert.All(answers, status => Assert.Equal(HttpStatusCode.ServiceUnavailable, status));

        stack.JournalFaults.FailAppends = false;
        Assert.Equal("applied", await stack.Webhooks.ApplyAsync(body));
        var after = await stack.Entitlements.GetEntitlementsAsync(new GetEntitlementsRequest { CustomerId = customerId });
        Assert.Equal(AccessState.Grace, after.Access);
    }

    [Fact]
    public async Task A_storage_failure_on_a_known_customer_keeps_the_stored_state_and_applies_the_event_after_recovery()
    {
        await using var stack = await BillingStack.StartAsync(Database);
        var customerId = StripeEventJson.NewCustomerId();
        Assert.Equal("applied", await stack.Webhooks.ApplyAsync(StripeEventJson.Subscription(customerId, "sub_1", "active", Now)));
        var cancel = StripeEventJson.Subscription(customerId, "sub_1", "canceled", Now + 30, "customer.subscription.deleted");

        stack.JournalFaults.FailAppends = true;
        using (var failed = await stack.Webhooks.SendAsync(cancel))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
        }

        var during = await stack.Entitlements.GetEntitlementsAsync(new GetEntitlementsRequest { CustomerId = customerId });
        Assert.Equal(AccessState.Active, during.Access);

        stack.JournalFaults.FailAppends = false;
        Assert.Equal("applied", await stack.Webhooks.ApplyAsync(cancel));
        var after = await stack.Entitlements.GetEntitlementsAsync(new GetEntitlementsRequest { CustomerId = customerId });
        Assert.Equal(AccessState.None, after.Access);
        Assert.Equal(2, after.Version);
    }
}
