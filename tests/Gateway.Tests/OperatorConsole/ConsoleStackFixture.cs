using Billing.StripeSamples;
using System.Text;
using System.Text.Json.Nodes;
using Billing.Gateway.Tests.Infrastructure;
using Billing.Outbound;
using Billing.Testing.Outbound;
using Billing.Testing.Postgres;
using Billing.Testing.Stripe;
using Microsoft.Extensions.DependencyInjection;

namespace Billing.Gateway.Tests.OperatorConsole;

/// <summary>
/// One stack for every console test (fast and browser layers): the real gateway on Kestrel in front of an Orleans test
/// cluster on PostgreSQL, operator keys, and a fulfillment endpoint on a <see cref="RecordingReceiver"/> so that dead
/// letters are made and replayed by the real delivery pipeline.
/// </summary>
public sealed class ConsoleStackFixture : IAsyncLifetime
{
    public const string Key = "console-operator-key-0123456789";
    public const string SigningSecret = "console_tests_signing_secret_0123456789";
    public const string FulfillmentPath = "billing/console-fulfillment";

    private TestDatabase? _database;
    private BillingStack? _stack;
    private RecordingReceiver? _receiver;

    public BillingStack Stack => _stack ?? throw new InvalidOperationException("The stack is not started.");

    public RecordingReceiver Receiver => _receiver ?? throw new InvalidOperationException("The receiver is not started.");

    /// <summary>The gateway's admin endpoint, where the console lives.</summary>
    public Uri BaseAddress => Stack.Admin.BaseAddress!;

    public async Task InitializeAsync()
    {
        _receiver = await RecordingReceiver.StartAsync();
        _database = await TestDatabase.CreateAsync("console");
        _stack = await BillingStack.StartAsync(_database, new Dictionary<string, string?>
        {
            ["Gateway:ApiKeys:0"] = Key,
            ["Billing:Dashboard:Enabled"] = "true",
            ["Billing:Outbound:SigningSecret"] = SigningSecret,
            ["Billing:Outbound:RetryDelay"] = "00:00:00.050",
            ["Billing:Fulfillment:Endpoints:0"] = Receiver.Url(FulfillmentPath),
        });
    }

    /// <summary>A customer past due with two failed payment attempts: churn-risk score 60 (past_due 40, failed_payments 20).</summary>
    public async Task<string> SeedAtRiskCustomerAsync()
    {
        var customer = StripeEventJson.NewCustomerId();
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        await Stack.Webhooks.ApplyAsync(StripeEventJson.Subscription(customer, "sub_risk", "past_due", now, previousStatus: "active"));
        await Stack.Webhooks.ApplyAsync(StripeEventJson.Invoice(customer, "invoice.payment_failed", now + 1));
        await Stack.Webhooks.ApplyAsync(StripeEventJson.Invoice(customer, "invoice.payment_failed", now + 2));
        return customer;
    }

    /// <summary>
    /// A card-testing burst on a new connected account: 10 successful charges, then 60 declined small ones within the
    /// minute; its detector pages (failure rate far above the account's smoothed prior). Returns the account.
    /// </summary>
    public async Task<string> SeedCardTestingBurstAsync()
    {
        var account = $"acct_console{Guid.NewGuid():N}"[..24];
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var charges = Enumerable.Range(0, 70).Select(i => SampleEvents.Build(new SampleEventRequest(
            i < 10 ? "charge.succeeded" : "charge.failed", StripeEventJson.NewCustomerId(), now, Account: account, Amount: i < 10 ? 4900 : 100)));
        foreach (var charge in charges)
        {
            await Stack.Webhooks.ApplyAsync(charge);
        }

        return account;
    }

    /// <summary>A customer with a subscription that went active, then past due: two history entries.</summary>
    public async Task<SeededCustomer> SeedCustomerAsync()
    {
        var customer = StripeEventJson.NewCustomerId();
        var subscription = $"sub_{Guid.NewGuid():N}"[..24];
        var first = StripeEventJson.NewEventId();
        var second = StripeEventJson.NewEventId();
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        await Stack.Webhooks.ApplyAsync(StripeEventJson.Subscription(customer, subscription, "active", now - 60,
            "customer.subscription.created", eventId: first));
        await Task.Delay(50);
        var between = DateTimeOffset.UtcNow;
        await Task.Delay(50);
        await Stack.Webhooks.ApplyAsync(StripeEventJson.Subscription(customer, subscription, "past_due", now - 30,
            previousStatus: "active", eventId: second));
        return new SeededCustomer(customer, subscription, first, second, between);
    }

    /// <summary>A dead letter made by the real pipeline (the receiver answers 404); its id.</summary>
    public async Task<long> DeadLetterAsync(string customer, long version)
    {
        Receiver.Script(FulfillmentPath, 404);
        var messageId = $"{customer}:{version}";
        var body = new JsonObject
        {
            ["id"] = messageId,
            ["type"] = "entitlements.changed",
            ["customer_id"] = customer,
            ["created"] = 1763900000,
            ["data"] = new JsonObject { ["access"] = "ACTIVE", ["features"] = new JsonArray("reports"), ["version"] = version },
        }.ToJsonString();
        var delivery = Stack.Gateway.Services.GetRequiredService<OutboundDelivery>();
        var outcome = await delivery.DeliverAsync(OutboundTarget.Fulfillment, messageId, "entitlements.changed", customer, Encoding.UTF8.GetBytes(body));
        Assert.Equal(DeliveryOutcome.DeadLettered, outcome);
        var store = Stack.Gateway.Services.GetRequiredService<DeadLetterStore>();
        var letters = await store.ListAsync(new DeadLetterQuery(CustomerId: customer));
        return letters.Single(d => d.MessageId == messageId).Id;
    }

    public async Task DisposeAsync()
    {
        if (_stack is not null)
        {
            await _stack.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }

        if (_receiver is not null)
        {
            await _receiver.DisposeAsync();
        }
    }
}

/// <summary>What <see cref="ConsoleStackFixture.SeedCustomerAsync"/> made; <paramref name="Between"/> is an instant between the two events.</summary>
public sealed record SeededCustomer(string CustomerId, string SubscriptionId, string FirstEventId, string SecondEventId, DateTimeOffset Between);

/// <summary>The console's tests share one stack and run one at a time (2 cores; a browser).</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ConsoleCollection : ICollectionFixture<ConsoleStackFixture>
{
    public const string Name = "Console";
}
