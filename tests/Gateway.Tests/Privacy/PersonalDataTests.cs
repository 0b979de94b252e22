using System.Net;
using System.Text.Json.Nodes;
using Billing.Gateway.Tests.Infrastructure;
using Billing.StripeSamples;
using Billing.Testing.Outbound;
using Billing.V1;

namespace Billing.Gateway.Tests.Privacy;

/// <summary>
/// Stripe's payloads carry customers' names, emails, phones, addresses and card details. Billing keeps none of them:
/// after every kind of event Billing uses (and some it ignores), full of such data, and deliveries that a receiver
/// refuses (dead letters), no table of the database holds any of it, and neither does any delivery.
/// </summary>
public sealed class PersonalDataTests() : OwnDatabaseTests("privacy")
{
    private static readonly long Now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
    private readonly string _marker = Guid.NewGuid().ToString("N")[..12];

    private string Name => $"Ada Lovelace-{_marker}";
    private string Email => $"ada.{_marker}@example.com";
    private string Phone => $"+44 20 7946 {_marker[..4]}";
    private string Street => $"{_marker} Privacy Lane";
    private string City => $"Marylebone-{_marker}";
    private string Fingerprint => $"fp{_marker}";

    // What must never be stored: the values, and the card field itself.
    private string[] Needles => [Name, Email, Phone, Street, City, Fingerprint, "\"last4\"", "last4"];

    [Fact]
    public async Task The_scanner_finds_a_marker_in_bytes_json_and_text_so_this_test_can_fail()
    {
        await using (var create = Database.DataSource.CreateCommand("CREATE TABLE pii_probe (payload bytea, facts jsonb, note text)"))
        {
            await create.ExecuteNonQueryAsync();
        }

        await using (var command = Database.DataSource.CreateCommand(
            "INSERT INTO pii_probe VALUES (convert_to($1, 'UTF8'), NULL, NULL), (NULL, jsonb_build_object('email', $2::text), NULL), (NULL, NULL, $3)"))
        {
            command.Parameters.AddWithValue($"{{\"name\":\"{Name}\"}}");
            command.Parameters.AddWithValue(Email);
            command.Parameters.AddWithValue($"card {Fingerprint}");
            await command.ExecuteNonQueryAsync();
        }

        var found = await TableScanner.TablesContainingAsync(Database.DataSource, Needles);

        Assert.Equal(3, found.Count);
        Assert.Contains("pii_probe: " + Name, found);
        Assert.Contains("pii_probe: " + Email, found);
        Assert.Contains("pii_probe: " + Fingerprint, found);
    }

    [Fact]
    public async Task Events_full_of_personal_data_leave_none_of_it_in_any_table_or_delivery()
    {
        await using var receiver = await RecordingReceiver.StartAsync();
        receiver.Status = HttpStatusCode.BadRequest; // every delivery is refused: dead letters keep their bodies
        var stack = await BillingStack.StartAsync(Database, new Dictionary<string, string?>
        {
            ["Billing:Fulfillment:Endpoints:0"] = receiver.Url("fulfillment"),
            ["Billing:Notifications:Endpoints:0"] = receiver.Url("notifications"),
            ["Billing:Outbound:SigningSecret"] = "privacy_test_secret",
            ["Billing:Journal:SnapshotEvery"] = "2",
        });
        var customer = StripeEventJson.NewCustomerId();

        string[] bodies =
        [
            StripeEventJson.Envelope("customer.created", CustomerObject(customer), Now),
            StripeEventJson.Envelope("customer.updated", CustomerObject(customer), Now + 1, previousAttributes: new() { ["email"] = $"old.{Email}" }),
            StripeEventJson.Envelope("customer.subscription.created", SubscriptionObject(customer, "active"), Now + 2),
            StripeEventJson.Envelope("customer.subscription.trial_will_end", SubscriptionObject(customer, "trialing"), Now + 3),
            StripeEventJson.Envelope("invoice.payment_failed", InvoiceObject(customer), Now + 4),
            StripeEventJson.Envelope("customer.subscription.updated", SubscriptionObject(customer, "past_due"), Now + 5, previousAttributes: new() { ["status"] = "active" }),
            StripeEventJson.Envelope("invoice.paid", InvoiceObject(customer), Now + 6),
            StripeEventJson.Envelope("customer.subscription.deleted", SubscriptionObject(customer, "canceled"), Now + 7),
            StripeEventJson.Envelope("customer.deleted", CustomerObject(customer), Now + 8),
        ];
        foreach (var body in bodies)
        {
            var status = await stack.Webhooks.ApplyAsync(body);
            Assert.True(status is "applied" or "ignored", status);
        }

        // The fan-out ran: changes and notifications were delivered (and refused, so dead-lettered).
        await receiver.WaitForAsync(d => d.Type == "notification.payment_failed", TimeSpan.FromSeconds(30));
        await receiver.WaitForAsync(d => d.Type == "entitlements.changed", TimeSpan.FromSeconds(30));
        var deadLetters = await WaitForDeadLettersAsync(atLeast: 2);
        var history = await stack.History.ListCustomerEventsAsync(new ListCustomerEventsRequest { CustomerId = customer });
        Assert.True(history.Events.Count >= 6, $"only {history.Events.Count} events journaled");
        await stack.DisposeAsync(); // deactivation writes the snapshots too

        var found = await TableScanner.TablesContainingAsync(Database.DataSource, Needles);

        Assert.True(found.Count == 0, $"personal data stored: {string.Join("; ", found)}");
        Assert.True(deadLetters > 0);
        foreach (var delivery in receiver.Received)
        {
            Assert.DoesNotContain(Needles, needle => delivery.BodyText.Contains(needle, StringComparison.OrdinalIgnoreCase));
        }
    }

    private async Task<long> WaitForDeadLettersAsync(int atLeast)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            await using var command = Database.DataSource.CreateCommand("SELECT count(*) FROM billing_dead_letters");
            var count = (long)(await command.ExecuteScalarAsync())!;
            if (count >= atLeast || DateTime.UtcNow > deadline)
            {
                return count;
            }

            await Task.Delay(200);
        }
    }

    private JsonObject Address() => new()
    {
        ["line1"] = Street, ["line2"] = "Flat 2", ["city"] = City, ["postal_code"] = "NW1 6XE", ["country"] = "GB", ["state"] = null,
    };

    private JsonObject BillingDetails() => new() { ["name"] = Name, ["email"] = Email, ["phone"] = Phone, ["address"] = Address() };

    private JsonObject Card() => new()
    {
        ["id"] = "pm_privacy", ["object"] = "payment_method", ["billing_details"] = BillingDetails(),
        ["card"] = new JsonObject { ["brand"] = "visa", ["last4"] = "4719", ["exp_month"] = 12, ["exp_year"] = 2031, ["fingerprint"] = Fingerprint },
    };

    private JsonObject CustomerObject(string customer) => new()
    {
        ["id"] = customer, ["object"] = "customer", ["name"] = Name, ["email"] = Email, ["phone"] = Phone, ["address"] = Address(),
        ["shipping"] = new JsonObject { ["name"] = Name, ["phone"] = Phone, ["address"] = Address() },
        ["invoice_settings"] = new JsonObject { ["default_payment_method"] = Card() },
        ["description"] = $"{Name} <{Email}>",
    };

    private JsonObject SubscriptionObject(string customer, string status) => new()
    {
        ["id"] = "sub_privacy", ["object"] = "subscription", ["status"] = status,
        ["customer"] = CustomerObject(customer), // expanded, with everything in it
        ["default_payment_method"] = Card(),
        ["trial_end"] = Now + 86_400,
        ["items"] = new JsonObject
        {
            ["object"] = "list",
            ["data"] = new JsonArray(new JsonObject
            {
                ["id"] = "si_privacy", ["object"] = "subscription_item",
                ["price"] = new JsonObject { ["id"] = "price_pro", ["object"] = "price", ["product"] = "prod_privacy", ["metadata"] = new JsonObject() },
            }),
        },
    };

    private JsonObject InvoiceObject(string customer) => new()
    {
        ["id"] = $"in_{_marker}", ["object"] = "invoice", ["customer"] = customer, ["subscription"] = "sub_privacy",
        ["amount_due"] = 4200, ["currency"] = "gbp", ["hosted_invoice_url"] = "https://invoice.stripe.com/i/privacy",
        ["customer_name"] = Name, ["customer_email"] = Email, ["customer_phone"] = Phone, ["customer_address"] = Address(),
        ["customer_shipping"] = new JsonObject { ["name"] = Name, ["address"] = Address() },
        ["account_name"] = "Billing Tests Ltd",
        ["payment_intent"] = new JsonObject { ["id"] = "pi_privacy", ["object"] = "payment_intent", ["payment_method"] = Card() },
    };
}
