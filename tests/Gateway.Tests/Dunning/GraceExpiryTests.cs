using Billing.Gateway.Tests.Infrastructure;
using Billing.StripeSamples;
using Billing.Testing.Outbound;
using Billing.V1;

namespace Billing.Gateway.Tests.Dunning;

/// <summary>
/// When the grace period runs out with no payment, access is suspended by the durable timer: the customer's head row
/// says when, the journal's sweeper wakes the customer, and the transition is a journal entry of its own.
/// </summary>
public sealed class GraceExpiryTests() : OwnDatabaseTests("dunning")
{
    private static readonly Dictionary<string, string?> ShortGrace = new()
    {
        ["Billing:Dunning:GracePeriod"] = "00:00:04",
        ["Billing:Journal:SweepInterval"] = "00:00:01",
    };
    [Fact]
    public async Task Access_is_suspended_when_grace_runs_out_without_any_new_event()
    {
        await using var stack = await BillingStack.StartAsync(Database, ShortGrace);
        var customerId = await StartDunningAsync(stack);

        var suspended = await WaitForAccessAsync(stack, customerId, AccessState.Suspended, TimeSpan.FromSeconds(60));

        Assert.Empty(suspended.Features);
        Assert.Equal(3, suspended.Version);
        var (type, source) = await LastEntryAsync(customerId);
        Assert.Equal("billing.grace_expired", type);
        Assert.Equal("timer", source);
        Assert.Null(await GraceEndsAtAsync(customerId));
    }

    [Fact]
    public async Task Suspension_by_the_timer_is_fanned_out_to_fulfillment_and_notifications()
    {
        await using var receiver = await RecordingReceiver.StartAsync();
        await using var stack = await BillingStack.StartAsync(Database, new Dictionary<string, string?>(ShortGrace)
        {
            ["Billing:Fulfillment:Endpoints:0"] = receiver.Url("fulfillment"),
            ["Billing:Notifications:Endpoints:0"] = receiver.Url("notifications"),
            ["Billing:Outbound:SigningSecret"] = "outbound_test_secret",
        });
        var customerId = await StartDunningAsync(stack);

        var suspension = await receiver.WaitForAsync(d => d.Type == "notification.access_suspended" && d.Id.StartsWith(customerId, StringComparison.Ordinal), TimeSpan.FromSeconds(60));

        Assert.Equal($"{customerId}:3", suspension.Id);
        var deprovision = await receiver.WaitForAsync(d => d.Id == $"{customerId}:3" && d.Type == "entitlements.changed", TimeSpan.FromSeconds(30));
        Assert.Equal("deprovision", deprovision.Json.RootElement.GetProperty("data").GetProperty("action").GetString());
        Assert.Contains(receiver.Received, d => d.Type == "notification.payment_failed" && d.Json.RootElement.GetProperty("customer_id").GetString() == customerId);
    }

    [Fact]
    public async Task A_payment_before_grace_runs_out_keeps_access()
    {
        await using var stack = await BillingStack.StartAsync(Database, ShortGrace);
        var customerId = await StartDunningAsync(stack);
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        Assert.Equal("applied", await stack.Webhooks.ApplyAsync(StripeEventJson.Invoice(customerId, "invoice.paid", now + 1)));
        Assert.Equal("applied", await stack.Webhooks.ApplyAsync(StripeEventJson.Subscription(customerId, "sub_1", "active", now + 1, previousStatus: "past_due")));

        await Task.Delay(TimeSpan.FromSeconds(8));

        var entitlements = await stack.Entitlements.GetEntitlementsAsync(new GetEntitlementsRequest { CustomerId = customerId });
        Assert.Equal(AccessState.Active, entitlements.Access);
        Assert.Null(await GraceEndsAtAsync(customerId));
    }

    [Fact]
    public async Task The_grace_timer_survives_a_restart_of_the_cluster()
    {
        string customerId;
        await using (var first = await BillingStack.StartAsync(Database, ShortGrace))
        {
            customerId = await StartDunningAsync(first);
            Assert.NotNull(await GraceEndsAtAsync(customerId));
        }

        await using var second = await BillingStack.StartAsync(Database, ShortGrace);

        // The timer lives in the head row, so a grace period that ran out while no silo was up is found by the first sweep.
        var suspended = await WaitForAccessAsync(second, customerId, AccessState.Suspended, TimeSpan.FromSeconds(90));
        Assert.Empty(suspended.Features);
    }

    private static async Task<string> StartDunningAsync(BillingStack stack)
    {
        var customerId = StripeEventJson.NewCustomerId();
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        Assert.Equal("applied", await stack.Webhooks.ApplyAsync(StripeEventJson.Subscription(customerId, "sub_1", "active", now - 100)));
        Assert.Equal("applied", await stack.Webhooks.ApplyAsync(StripeEventJson.Invoice(customerId, "invoice.payment_failed", now)));
        Assert.Equal("applied", await stack.Webhooks.ApplyAsync(StripeEventJson.Subscription(customerId, "sub_1", "past_due", now, previousStatus: "active")));

        var inGrace = await stack.Entitlements.GetEntitlementsAsync(new GetEntitlementsRequest { CustomerId = customerId });
        Assert.Equal(AccessState.Grace, inGrace.Access);
        Assert.Equal(["exports", "reports"], inGrace.Features);
        return customerId;
    }

    private static async Task<CustomerEntitlements> WaitForAccessAsync(BillingStack stack, string customerId, AccessState access, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var entitlements = await stack.Entitlements.GetEntitlementsAsync(new GetEntitlementsRequest { CustomerId = customerId });
            if (entitlements.Access == access)
            {
                return entitlements;
            }

            Assert.True(DateTime.UtcNow < deadline, $"access still {entitlements.Access} after {timeout}");
            await Task.Delay(250);
        }
    }

    private async Task<DateTimeOffset?> GraceEndsAtAsync(string customerId)
    {
        await using var command = Database.DataSource.CreateCommand("SELECT grace_ends_at FROM billing_journal_heads WHERE customer_id = $1");
        command.Parameters.AddWithValue(customerId);
        return await command.ExecuteScalarAsync() is DateTime endsAt ? new DateTimeOffset(endsAt, TimeSpan.Zero) : null;
    }

    private async Task<(string Type, string Source)> LastEntryAsync(string customerId)
    {
        await using var command = Database.DataSource.CreateCommand(
            "SELECT event_type, source FROM billing_journal WHERE customer_id = $1 ORDER BY version DESC LIMIT 1");
        command.Parameters.AddWithValue(customerId);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return (reader.GetString(0), reader.GetString(1));
    }
}
