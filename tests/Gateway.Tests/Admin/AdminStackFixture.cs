using Billing.Gateway.Tests.Infrastructure;
using Billing.Outbound;
using Billing.Testing.Outbound;
using Billing.Testing.Postgres;
using Microsoft.Extensions.DependencyInjection;

namespace Billing.Gateway.Tests.Admin;

/// <summary>
/// The whole stack with outbound deliveries configured: dead letters in the stack's PostgreSQL database, one
/// fulfillment endpoint (<see cref="FulfillmentPath"/> on a <see cref="RecordingReceiver"/>), a signing secret, and
/// admin keys.
/// </summary>
public sealed class AdminStackFixture : IAsyncLifetime
{
    public const string SigningSecret = "admin_tests_signing_secret_0123456789";
    public const string ApiKey = "admin-key-current";

    /// <summary>The receiver's path the stack delivers fulfillment messages to.</summary>
    public const string FulfillmentPath = "billing/fulfillment";

    private TestDatabase? _database;
    private BillingStack? _stack;
    private RecordingReceiver? _receiver;

    public BillingStack Stack => _stack ?? throw new InvalidOperationException("The stack is not started.");

    public RecordingReceiver Receiver => _receiver ?? throw new InvalidOperationException("The receiver is not started.");

    /// <summary>The one fulfillment endpoint's URL.</summary>
    public string FulfillmentEndpoint => Receiver.Url(FulfillmentPath);

    /// <summary>The gateway's own delivery service, as the consumer grains use it on the silos.</summary>
    public OutboundDelivery Delivery => Stack.Gateway.Services.GetRequiredService<OutboundDelivery>();

    public async Task InitializeAsync()
    {
        _receiver = await RecordingReceiver.StartAsync();
        _database = await TestDatabase.CreateAsync("admin");
        _stack = await BillingStack.StartAsync(_database, new Dictionary<string, string?>
        {
            ["ConnectionStrings:Billing"] = _database.ConnectionString,
            ["Gateway:ApiKeys:0"] = ApiKey,
            ["Gateway:ApiKeys:1"] = "admin-key-next",
            ["Billing:Outbound:SigningSecret"] = SigningSecret,
            ["Billing:Outbound:RetryDelay"] = "00:00:00.050",
            ["Billing:Fulfillment:Endpoints:0"] = FulfillmentEndpoint,
        });
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
