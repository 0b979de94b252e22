using System.Net;
using System.Text.Json;
using Billing.Gateway.Tests.Infrastructure;
using Billing.Grains.Customers;
using Billing.Grains.Fanout;
using Billing.StripeSamples;
using Billing.Testing.Outbound;
using Billing.Testing.Postgres;
using Stripe;

namespace Billing.Gateway.Tests.Fanout;

/// <summary>Changes and notifications reach the configured endpoints, signed, once in effect, across a silo crash.</summary>
public sealed class FanoutTests : IAsyncLifetime
{
    private const string SigningSecret = "outbound_test_secret";
    private static readonly long Now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
    private TestDatabase? _database;
    private RecordingReceiver? _receiver;

    private TestDatabase Database => _database!;

    private RecordingReceiver Receiver => _receiver!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync("fanout");
        _receiver = await RecordingReceiver.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _receiver!.DisposeAsync();
        await _database!.DisposeAsync();
    }

    private Dictionary<string, string?> Settings() => new()
    {
        ["Billing:Fulfillment:Endpoints:0"] = Receiver.Url("fulfillment"),
        ["Billing:Notifications:Endpoints:0"] = Receiver.Url("notifications"),
        ["Billing:Outbound:SigningSecret"] = SigningSecret,
        ["Billing:Journal:SweepInterval"] = "00:00:01",
        ["Billing:Journal:LagAfter"] = "00:00:01",
    };

    [Fact]
    public async Task A_change_of_entitlements_reaches_fulfillment_signed_and_in_the_contracts_shape()
    {
        await using var stack = await BillingStack.StartAsync(Database, Settings());
        var customerId = StripeEventJson.NewCustomerId();

        await stack.Webhooks.ApplyAsync(StripeEventJson.Subscription(customerId, "sub_1", "active", Now));

        var delivery = await Receiver.WaitForAsync(d => d.Id == $"{customerId}:1", TimeSpan.FromSeconds(30));
        Assert.Equal("/fulfillment", delivery.Path);
        EventUtility.ValidateSignature(delivery.BodyText, delivery.Signature, SigningSecret, 300);
        var root = delivery.Json.RootElement;
        Assert.Equal("entitlements.changed", root.GetProperty("type").GetString());
        Assert.Equal(customerId, root.GetProperty("customer_id").GetString());
        var data = root.GetProperty("data");
        Assert.Equal("ACTIVE", data.GetProperty("access").GetString());
        Assert.Equal(["exports", "reports"], data.GetProperty("features").EnumerateArray().Select(f => f.GetString()!));
        Assert.Equal(1, data.GetProperty("version").GetInt64());
        Assert.Equal("provision", data.GetProperty("action").GetString());
        Assert.Equal("NONE", data.GetProperty("previous").GetProperty("access").GetString());
        Assert.Equal(0, data.GetProperty("previous").GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task Every_version_reaches_fulfillment_once_in_order()
    {
        await using var stack = await BillingStack.StartAsync(Database, Settings());
        var customerId = StripeEventJson.NewCustomerId();
        string[] statuses = ["trialing", "past_due", "active", "unpaid", "active"];
        for (var i = 0; i < statuses.Length; i++)
        {
            await stack.Webhooks.ApplyAsync(StripeEventJson.Subscription(customerId, "sub_1", statuses[i], Now + i));
        }

        await Receiver.WaitForAsync(d => d.Id == $"{customerId}:5", TimeSpan.FromSeconds(30));
        var versions = Receiver.Received.Where(d => d.Path == "/fulfillment" && d.Id.StartsWith(customerId, StringComparison.Ordinal))
            .Select(d => d.Json.RootElement.GetProperty("data").GetProperty("version").GetInt64()).ToList();
        Assert.Equal([1, 2, 3, 4, 5], versions);
    }

    [Fact]
    public async Task A_failed_payment_notifies_with_what_a_mailer_needs_and_no_card_data()
    {
        await using var stack = await BillingStack.StartAsync(Database, Settings());
        var customerId = StripeEventJson.NewCustomerId();
        var eventId = StripeEventJson.NewEventId();

        await stack.Webhooks.ApplyAsync(StripeEventJson.Invoice(customerId, "invoice.payment_failed", Now, eventId, amountDue: 4200));

        var delivery = await Receiver.WaitForAsync(d => d.Id == eventId, TimeSpan.FromSeconds(30));
        Assert.Equal("/notifications", delivery.Path);
        Assert.Equal("notification.payment_failed", delivery.Type);
        var data = delivery.Json.RootElement.GetProperty("data");
        Assert.Equal(4200, data.GetProperty("amount").GetInt64());
        Assert.Equal("usd", data.GetProperty("currency").GetString());
        Assert.Equal("https://invoice.stripe.com/i/test", data.GetProperty("hosted_invoice_url").GetString());
        Assert.DoesNotContain("card", delivery.BodyText, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("address", delivery.BodyText, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_receiver_that_was_down_gets_the_message_once_it_is_back()
    {
        await using var stack = await BillingStack.StartAsync(Database, Settings());
        var customerId = StripeEventJson.NewCustomerId();
        Receiver.Status = HttpStatusCode.ServiceUnavailable;

        await stack.Webhooks.ApplyAsync(StripeEventJson.Subscription(customerId, "sub_1", "active", Now));
        await Receiver.WaitForAsync(d => d.Id == $"{customerId}:1", TimeSpan.FromSeconds(30));
        Assert.Equal(0, await stack.Cluster.Client.GetGrain<IFulfillmentGrain>(customerId).GetDeliveredVersionAsync());

        Receiver.Status = HttpStatusCode.OK;

        await WaitUntilAsync(async () => await stack.Cluster.Client.GetGrain<IFulfillmentGrain>(customerId).GetDeliveredVersionAsync() == 1,
            TimeSpan.FromSeconds(60));
        Assert.Equal([$"{customerId}:1"], Receiver.IdsOn("fulfillment").Where(id => id.StartsWith(customerId, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_message_published_before_a_silo_crash_is_delivered_after_it()
    {
        await using var stack = await BillingStack.StartAsync(Database, Settings(), silos: 2);
        var customerId = StripeEventJson.NewCustomerId();
        var customer = stack.Cluster.Client.GetGrain<ICustomerGrain>(customerId);

        // The receiver is down, so the consumer cannot move past the entry; then the customer's silo dies.
        Receiver.Status = HttpStatusCode.ServiceUnavailable;
        await stack.Webhooks.ApplyAsync(StripeEventJson.Subscription(customerId, "sub_1", "active", Now));
        await Receiver.WaitForAsync(d => d.Id == $"{customerId}:1", TimeSpan.FromSeconds(30));
        Assert.True(stack.Cluster.TryGetGrainContext(customer.GetGrainId(), out var context));
        var victim = stack.Cluster.Silos.Single(s => s.SiloAddress.Equals(context.Address.SiloAddress));
        await stack.Cluster.KillSiloAsync(victim);
        Receiver.Status = HttpStatusCode.OK;

        // The journal's sweeper (on the surviving silo) finds the consumer behind, and the consumer reads the journal.
        await WaitUntilAsync(async () => await stack.Cluster.Client.GetGrain<IFulfillmentGrain>(customerId).GetDeliveredVersionAsync() == 1,
            TimeSpan.FromSeconds(120));

        Assert.Equal([$"{customerId}:1"], Receiver.IdsOn("fulfillment").Where(id => id.StartsWith(customerId, StringComparison.Ordinal)));
        var entitlements = await customer.GetEntitlementsAsync();
        Assert.Equal(AccessState.Active, entitlements.Access);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"not reached within {timeout}");
            await Task.Delay(250);
        }
    }
}
