using System.Net;
using Billing.Gateway.Tests.Infrastructure;
using Billing.StripeSamples;
using Billing.V1;

namespace Billing.Gateway.Tests.Durability;

/// <summary>
/// Events of one customer that arrive while its previous write is in flight go to the grain together and are
/// stored with one write: each is still answered for itself, only once stored, and a failed write fails them all.
/// </summary>
public sealed class BatchedWriteTests() : OwnDatabaseTests("batching")
{
    private static readonly long Now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
    [Fact]
    public async Task Events_arriving_during_a_slow_write_are_stored_together_and_each_answered_for_itself()
    {
        await using var stack = await BillingStack.StartAsync(Database);
        using var batchSizes = new GatewayInstrument(stack, "billing.apply.batch_size");
        var customerId = StripeEventJson.NewCustomerId();
        Assert.Equal("applied", await stack.Webhooks.ApplyAsync(StripeEventJson.Subscription(customerId, "sub_0", "active", Now)));

        // Ten new subscriptions and two redeliveries of the first, all at once, while each write takes 300 ms.
        stack.JournalFaults.AppendDelay = TimeSpan.FromMilliseconds(300);
        var bodies = Enumerable.Range(1, 10)
            .Select(i => StripeEventJson.Subscription(customerId, $"sub_{i}", "active", Now, metadataFeatures: $"feature_{i}"))
            .ToList();
        var answers = await Task.WhenAll(bodies.Concat([bodies[0], bodies[0]]).Select(body => stack.Webhooks.ApplyAsync(body)));
        stack.JournalFaults.AppendDelay = TimeSpan.Zero;

        Assert.Equal(10, answers.Count(a => a == "applied"));
        Assert.Equal(2, answers.Count(a => a == "duplicate"));
        var entitlements = await stack.Entitlements.GetEntitlementsAsync(new GetEntitlementsRequest { CustomerId = customerId });
        Assert.All(Enumerable.Range(1, 10), i => Assert.Contains($"feature_{i}", entitlements.Features));

        // Twelve deliveries in far fewer grain calls: that is the point.
        Assert.Contains(batchSizes.Values, size => size > 1);
        Assert.True(batchSizes.Values.Count < 12, $"grain calls: {string.Join(", ", batchSizes.Values)}");
        Assert.Equal(13, batchSizes.Values.Sum());
    }

    [Fact]
    public async Task A_failed_write_fails_every_event_it_carried_and_none_is_a_duplicate_afterwards()
    {
        await using var stack = await BillingStack.StartAsync(Database);
        var customerId = StripeEventJson.NewCustomerId();
        var bodies = Enumerable.Range(1, 8)
            .Select(i => StripeEventJson.Subscription(customerId, $"sub_{i}", "active", Now))
            .ToList();

        stack.JournalFaults.AppendDelay = TimeSpan.FromMilliseconds(200);
        stack.JournalFaults.FailAppends = true;
        var failed = await Task.WhenAll(bodies.Select(async body =>
        {
            using var response = await stack.Webhooks.SendAsync(body);
            return response.StatusCode;
        }));
        stack.JournalFaults.FailAppends = false;
        stack.JournalFaults.AppendDelay = TimeSpan.Zero;
        Assert.All(failed, status => Assert.Equal(HttpStatusCode.ServiceUnavailable, status));

        var during = await stack.Entitlements.GetEntitlementsAsync(new GetEntitlementsRequest { CustomerId = customerId });
        Assert.Equal(AccessState.None, during.Access);
        Assert.Equal(0, during.Version);

        // Stripe's retries: every one of them is applied now, none found "already applied" in memory.
        var retried = await Task.WhenAll(bodies.Select(body => stack.Webhooks.ApplyAsync(body)));
        Assert.All(retried, answer => Assert.Equal("applied", answer));
    }
}
