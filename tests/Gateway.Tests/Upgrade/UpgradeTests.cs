using Billing.Gateway.Tests.Infrastructure;
using Billing.Grains.Customers;
using Billing.Grains.Events;
using Billing.Grains.Fanout;
using Billing.Grains.Subscriptions;
using Billing.Grains.Upgrade;
using Billing.Silo.Migrations;
using Billing.StripeSamples;
using Billing.Testing.Outbound;
using Billing.Testing.Postgres;
using Billing.V1;
using AccessState = Billing.Grains.Customers.AccessState;
using Microsoft.Extensions.Logging.Abstractions;

namespace Billing.Gateway.Tests.Upgrade;

/// <summary>
/// A running deployment upgrades to the journal without losing anything: a database filled by the previous schema
/// (state rows with entitlements, 30 days of event ids and an outbox; grace periods running; per-customer reminders),
/// then <c>migrate</c>, then the new version: same entitlements, old event ids still duplicates, the old outbox
/// delivered, the grace period ending on time. A row that a silo of the previous version writes after <c>migrate</c>
/// is carried over when its customer next activates.
/// </summary>
public sealed class UpgradeTests : IAsyncLifetime
{
    private static readonly long Now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
    private readonly string _active = StripeEventJson.NewCustomerId();
    private readonly string _dunning = StripeEventJson.NewCustomerId();
    private TestDatabase? _database;
    private RecordingReceiver? _receiver;

    private TestDatabase Database => _database!;

    public async Task InitializeAsync()
    {
        _receiver = await RecordingReceiver.StartAsync();
        _database = await TestDatabase.CreateEmptyAsync("upgrade");
        await new MigrationRunner(_database.DataSource, NullLogger<MigrationRunner>.Instance)
            .ApplyAsync([.. EmbeddedMigrations.All.Where(m => m.Version <= 5)]);
    }

    public async Task DisposeAsync()
    {
        await _receiver!.DisposeAsync();
        await _database!.DisposeAsync();
    }

    [Fact]
    public async Task Migrate_carries_the_previous_schemas_customers_over_without_losing_entitlements_dedupe_outbox_or_grace()
    {
        await using (var legacy = await LegacyRows.StartAsync(Database.ConnectionString))
        {
            await legacy.WriteCustomerAsync(_active, ActiveCustomer());
            await legacy.WriteCustomerAsync(_dunning, DunningCustomer(graceEndsAt: DateTimeOffset.UtcNow.AddSeconds(6)));
            await legacy.WriteConsumerAsync("fulfillment", _active, new() { [$"{_active}:2"] = Now - 60 });
        }

        await ExecuteAsync($"INSERT INTO orleansreminderstable VALUES ('billing-tests', 'customer/{_dunning}', 'grace-expiry', now(), 60000, 1, 1)");

        var (exit, output) = await MigrateAsync();
        Assert.Equal(0, exit);
        Assert.Contains("carried 2 customer state row(s)", output, StringComparison.Ordinal);
        Assert.Equal(0L, await ScalarAsync("SELECT count(*) FROM orleansreminderstable"));
        Assert.Equal(0L, await ScalarAsync("SELECT count(*) FROM orleansstorage WHERE graintypestring = 'fulfillment'"));
        Assert.Equal(2L, await ScalarAsync("SELECT count(*) FROM billing_journal WHERE event_type = 'billing.migrated' AND source = 'migration'"));

        // Running it again finds nothing left to carry.
        var (again, againOutput) = await MigrateAsync();
        Assert.Equal(0, again);
        Assert.DoesNotContain("carried", againOutput, StringComparison.Ordinal);

        await using var stack = await BillingStack.StartAsync(Database, Settings());

        var active = await stack.Entitlements.GetEntitlementsAsync(new GetEntitlementsRequest { CustomerId = _active });
        Assert.Equal((V1.AccessState.Active, 3L), (active.Access, active.Version));
        Assert.Equal(["exports", "reports"], active.Features);
        Assert.Equal("duplicate", await stack.Webhooks.ApplyAsync(
            StripeEventJson.Subscription(_active, "sub_a", "active", Now - 50, eventId: "evt_legacy_a2")));

        // The old outbox is delivered once, from the journal.
        await _receiver!.WaitForAsync(d => d.Id == $"{_active}:3", TimeSpan.FromSeconds(30));
        await _receiver.WaitForAsync(d => d.Id == "evt_legacy_b_failed", TimeSpan.FromSeconds(30));

        // The grace period that was running ends on time, by the journal's timer.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(40);
        while ((await stack.Entitlements.GetEntitlementsAsync(new GetEntitlementsRequest { CustomerId = _dunning })).Access != V1.AccessState.Suspended)
        {
            Assert.True(DateTime.UtcNow < deadline, "the carried-over grace period never ended");
            await Task.Delay(250);
        }

        // New events apply on top of the carried-over state; the history starts with the carrying over.
        Assert.Equal("applied", await stack.Webhooks.ApplyAsync(StripeEventJson.Subscription(_active, "sub_a", "past_due", Now, previousStatus: "active")));
        var history = await stack.History.ListCustomerEventsAsync(new ListCustomerEventsRequest { CustomerId = _active });
        Assert.Equal(("billing.migrated", "migration", false), (history.Events[0].Type, history.Events[0].Source, history.Events[0].Changed));
        Assert.Equal((V1.AccessState.Grace, 4L), (history.Events[^1].EntitlementsAfter.Access, history.Events[^1].EntitlementsAfter.Version));
    }

    [Fact]
    public async Task A_row_an_old_silo_writes_after_migrate_is_carried_over_when_its_customer_activates()
    {
        await using (var legacy = await LegacyRows.StartAsync(Database.ConnectionString))
        {
            await legacy.WriteCustomerAsync(_active, ActiveCustomer());
        }

        Assert.Equal(0, (await MigrateAsync()).Exit);

        // A silo of the previous version, still running during a rolling upgrade, applies one more event its way.
        var newer = ActiveCustomer(new() { ["evt_legacy_a3"] = Now - 10 });
        newer.State.Subscriptions["sub_a"].Status = SubscriptionStatus.Unpaid;
        (newer.State.Access, newer.State.Features, newer.State.Version) = (AccessState.Suspended, [], 4);
        await using (var legacy = await LegacyRows.StartAsync(Database.ConnectionString))
        {
            await legacy.WriteCustomerAsync(_active, newer);
        }

        await using var stack = await BillingStack.StartAsync(Database, Settings());

        var entitlements = await stack.Entitlements.GetEntitlementsAsync(new GetEntitlementsRequest { CustomerId = _active });
        Assert.Equal((V1.AccessState.Suspended, 4L), (entitlements.Access, entitlements.Version));
        Assert.Equal("duplicate", await stack.Webhooks.ApplyAsync(
            StripeEventJson.Subscription(_active, "sub_a", "unpaid", Now - 10, eventId: "evt_legacy_a3")));
        var history = await stack.History.ListCustomerEventsAsync(new ListCustomerEventsRequest { CustomerId = _active });
        Assert.Equal(["billing.migrated", "billing.migrated"], history.Events.Select(e => e.Type));
    }

    private Dictionary<string, string?> Settings() => new()
    {
        ["Billing:Dunning:GracePeriod"] = "00:00:10",
        ["Billing:Journal:SweepInterval"] = "00:00:00.500",
        ["Billing:Journal:LagAfter"] = "00:00:01",
        ["Billing:Fulfillment:Endpoints:0"] = _receiver!.Url("fulfillment"),
        ["Billing:Notifications:Endpoints:0"] = _receiver.Url("notifications"),
        ["Billing:Outbound:SigningSecret"] = "upgrade_test_secret",
    };

    private LegacyCustomerState ActiveCustomer(Dictionary<string, long>? moreEvents = null) => new(
        new CustomerState
        {
            Subscriptions = new(StringComparer.Ordinal)
            {
                ["sub_a"] = new SubscriptionRecord
                {
                    Status = SubscriptionStatus.Active, EventId = "evt_legacy_a2", Created = Now - 50,
                    Items = [new SubscriptionItem("price_pro", null, "prod_legacy", [])],
                },
            },
            Access = AccessState.Active,
            Features = ["exports", "reports"],
            Version = 3,
            UpdatedAt = DateTimeOffset.FromUnixTimeSeconds(Now - 50),
        },
        new Dictionary<string, long>(moreEvents ?? [], StringComparer.Ordinal)
        {
            ["evt_legacy_a1"] = Now - 100, ["evt_legacy_a2"] = Now - 50, ["evt_long_ago"] = Now - 40 * 86_400,
        },
        [new EntitlementsChanged($"{_active}:3", _active, Now - 50,
            new EntitlementsSnapshot(AccessState.Active, ["exports", "reports"], 3), new EntitlementsSnapshot(AccessState.Active, ["reports"], 2))],
        []);

    private LegacyCustomerState DunningCustomer(DateTimeOffset graceEndsAt)
    {
        var state = new CustomerState
        {
            Subscriptions = new(StringComparer.Ordinal)
            {
                ["sub_b"] = new SubscriptionRecord
                {
                    Status = SubscriptionStatus.PastDue, EventId = "evt_legacy_b_past_due", Created = Now - 5,
                    Items = [new SubscriptionItem("price_pro", null, "prod_legacy", [])],
                },
            },
            Access = AccessState.Grace,
            Features = ["exports", "reports"],
            GraceEndsAt = graceEndsAt,
            Version = 2,
            UpdatedAt = DateTimeOffset.FromUnixTimeSeconds(Now - 5),
        };
        state.Dunning.FailuresSinceLastPayment.Add(Now - 5);
        return new LegacyCustomerState(state, new Dictionary<string, long> { ["evt_legacy_b_failed"] = Now - 5 }, [],
            [new CustomerNotification("evt_legacy_b_failed", NotificationKind.PaymentFailed, _dunning, Now - 5, 4200, "usd")]);
    }

    private async Task<(int Exit, string Output)> MigrateAsync()
    {
        var output = new StringWriter();
        var exit = await MigrateCommand.RunAsync([$"--ConnectionStrings:Billing={Database.ConnectionString}"], output, new StringWriter());
        return (exit, output.ToString());
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var command = Database.DataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<long> ScalarAsync(string sql)
    {
        await using var command = Database.DataSource.CreateCommand(sql);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
