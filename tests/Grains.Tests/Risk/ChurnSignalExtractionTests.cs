using Billing.StripeSamples;
using System.Text;
using System.Text.Json.Nodes;
using Billing.Grains.Events;
using Billing.StripeEvents;
using Billing.Testing.Stripe;

namespace Billing.Grains.Tests.Risk;

/// <summary>
/// What the envelope reader extracts for churn risk, from real payloads of several API versions (2013 with none,
/// 2020-03-02, 2020-08-27) and from generated current-shape JSON.
/// </summary>
public sealed class ChurnSignalExtractionTests
{
    private const long Created = 1_763_900_000;

    [Fact]
    public void A_failed_invoice_without_a_next_attempt_is_a_final_failure_2020_08_27()
    {
        var invoice = ReadFixture("rubymock__invoice.payment_failed.json").Event!.Invoice!;

        Assert.Equal(1, invoice.AttemptCount);
        Assert.True(invoice.FinalAttempt);
    }

    [Fact]
    public void A_subscription_of_2020_03_02_shows_no_cancellation_no_payment_method_and_no_downgrade()
    {
        var snapshot = ReadFixture("syncengine__customer.subscription.updated.json").Event!.Subscription!;

        Assert.False(snapshot.CancelAtPeriodEnd);
        Assert.Null(snapshot.CancelAt);
        Assert.False(snapshot.HasPaymentMethod); // default_payment_method and default_source are null
        Assert.False(snapshot.Downgraded);       // previous_attributes changed metadata only
    }

    [Fact]
    public void A_subscription_without_payment_method_fields_leaves_it_unknown_no_api_version()
    {
        var snapshot = ReadFixture("rubymock__customer.subscription.trial_will_end.json").Event!.Subscription!;

        Assert.Null(snapshot.HasPaymentMethod);
        Assert.Equal(1381280730, snapshot.TrialEnd);
    }

    [Fact]
    public void A_refunded_charge_belongs_to_its_customer_and_one_without_a_customer_is_ignored()
    {
        var json = Fixture("rubymock__charge.refunded.json");

        var withCustomer = StripeEnvelopeReader.Read(Encoding.UTF8.GetBytes(StripeEventJson.WithIds(json, "evt_refund", "cus_refund")));
        var without = StripeEnvelopeReader.Read(Encoding.UTF8.GetBytes(json));

        Assert.Equal("cus_refund", withCustomer.CustomerKey);
        Assert.Equal(StripeEventKind.ChargeRefunded, withCustomer.Event!.Kind);
        Assert.Equal(new ChargeFacts("ch_000000000000000000000000", 100, "usd"), withCustomer.Event.Charge);
        Assert.Null(without.CustomerKey);
        Assert.Null(without.Event);
        Assert.Null(without.Error);
    }

    [Theory]
    [InlineData("rubymock__charge.dispute.created.json")]
    [InlineData("rubymock__charge.dispute.closed.json")]
    [InlineData("rubymock__charge.dispute.funds_withdrawn.json")]
    public void A_dispute_that_names_only_its_charge_is_attributed_to_no_one(string fileName)
    {
        var result = ReadFixture(fileName);

        Assert.Null(result.Error);
        Assert.Null(result.CustomerKey);
        Assert.Null(result.Event);
    }

    [Theory]
    [InlineData("charge")]
    [InlineData("payment_intent")]
    public void A_dispute_whose_charge_or_payment_intent_is_expanded_belongs_to_its_customer(string expanded)
    {
        var dispute = new JsonObject
        {
            ["id"] = "dp_1", ["object"] = "dispute", ["amount"] = 4200, ["currency"] = "eur", ["reason"] = "fraudulent",
            ["charge"] = expanded == "charge" ? new JsonObject { ["id"] = "ch_1", ["object"] = "charge", ["customer"] = "cus_disputed" } : "ch_1",
            ["payment_intent"] = expanded == "payment_intent" ? new JsonObject { ["id"] = "pi_1", ["customer"] = new JsonObject { ["id"] = "cus_disputed" } } : null,
        };

        var result = Read(StripeEventJson.Envelope("charge.dispute.created", dispute, Created, account: "acct_9"));

        Assert.Equal("acct_9/cus_disputed", result.CustomerKey);
        Assert.Equal(StripeEventKind.ChargeDisputed, result.Event!.Kind);
        Assert.Equal(new ChargeFacts("ch_1", 4200, "eur"), result.Event.Charge);
    }

    [Fact]
    public void Cancellation_payment_method_and_next_attempt_are_read_from_current_shapes()
    {
        var subscription = Subscription(Items(("price_a", 1000, "month", 1)));
        subscription["cancel_at_period_end"] = true;
        subscription["cancel_at"] = 1_800_000_000;
        subscription["default_payment_method"] = "pm_1";
        var invoice = new JsonObject { ["id"] = "in_1", ["customer"] = "cus_1", ["attempt_count"] = 2, ["next_payment_attempt"] = 1_800_000_000 };

        var snapshot = Read(StripeEventJson.Envelope("customer.subscription.updated", subscription, Created)).Event!.Subscription!;
        var facts = Read(StripeEventJson.Envelope("invoice.payment_failed", invoice.DeepClone().AsObject(), Created)).Event!.Invoice!;
        invoice.Remove("next_payment_attempt");
        var unknown = Read(StripeEventJson.Envelope("invoice.payment_failed", invoice, Created)).Event!.Invoice!;

        Assert.True(snapshot.CancelAtPeriodEnd);
        Assert.Equal(1_800_000_000, snapshot.CancelAt);
        Assert.True(snapshot.HasPaymentMethod);
        Assert.Equal((2, (bool?)false), (facts.AttemptCount, facts.FinalAttempt));
        Assert.Null(unknown.FinalAttempt);
    }

    [Theory]
    [InlineData(null, null, false)]         // the subscription says none, nothing else to see
    [InlineData("pm_customer", null, true)] // the expanded customer's invoice_settings.default_payment_method
    [InlineData(null, "card_1", true)]      // the expanded customer's default_source
    public void The_customers_payment_method_counts_when_the_customer_is_expanded(string? invoiceDefault, string? defaultSource, bool expected)
    {
        var subscription = Subscription(Items(("price_a", 1000, "month", 1)));
        subscription["default_payment_method"] = null;
        subscription["default_source"] = null;
        subscription["customer"] = new JsonObject
        {
            ["id"] = "cus_1", ["object"] = "customer", ["default_source"] = defaultSource,
            ["invoice_settings"] = new JsonObject { ["default_payment_method"] = invoiceDefault },
        };

        var snapshot = Read(StripeEventJson.Envelope("customer.subscription.updated", subscription, Created)).Event!.Subscription!;

        Assert.Equal(expected, snapshot.HasPaymentMethod);
    }

    public static TheoryData<string, JsonObject, JsonObject, bool> Changes() => new()
    {
        { "a cheaper price", Items(("price_b", 1000, "month", 1)), new JsonObject { ["items"] = Items(("price_a", 2000, "month", 1)) }, true },
        { "a dearer price", Items(("price_b", 3000, "month", 1)), new JsonObject { ["items"] = Items(("price_a", 2000, "month", 1)) }, false },
        { "fewer seats", Items(("price_a", 1000, "month", 3)), new JsonObject { ["items"] = Items(("price_a", 1000, "month", 5)) }, true },
        { "more seats", Items(("price_a", 1000, "month", 5)), new JsonObject { ["items"] = Items(("price_a", 1000, "month", 3)) }, false },
        { "yearly at less than 12 months", Items(("price_y", 10000, "year", 1)), new JsonObject { ["items"] = Items(("price_m", 1000, "month", 1)) }, true },
        { "an item removed", Items(("price_a", 1000, "month", 1)), new JsonObject { ["items"] = Items(("price_a", 1000, "month", 1), ("price_b", 500, "month", 1)) }, true },
        { "tiered prices, fewer units", Items(("price_t", null, "month", 2)), new JsonObject { ["items"] = Items(("price_t", null, "month", 4)) }, true },
        { "tiered prices changed", Items(("price_u", null, "month", 2)), new JsonObject { ["items"] = Items(("price_t", null, "month", 4)) }, false },
        { "top-level quantity cut", Items(("price_a", 1000, "month", null)), new JsonObject { ["quantity"] = 4 }, true },
        { "metadata only", Items(("price_a", 1000, "month", 1)), new JsonObject { ["metadata"] = new JsonObject { ["x"] = null } }, false },
        { "status only", Items(("price_a", 1000, "month", 1)), new JsonObject { ["status"] = "trialing" }, false },
    };

    [Theory]
    [MemberData(nameof(Changes))]
    public void A_downgrade_is_read_from_previous_attributes(string change, JsonObject items, JsonObject previous, bool downgraded)
    {
        var subscription = Subscription(items);
        subscription["quantity"] = 2;

        var snapshot = Read(StripeEventJson.Envelope("customer.subscription.updated", subscription, Created, previousAttributes: previous)).Event!.Subscription!;

        Assert.True(downgraded == snapshot.Downgraded, change);
    }

    [Fact]
    public void A_single_plan_subscription_of_old_versions_downgrades_by_its_plan()
    {
        var subscription = Subscription(Items(("gold", 500, "month", null)));
        subscription["plan"] = new JsonObject { ["id"] = "silver", ["object"] = "plan", ["amount"] = 500, ["interval"] = "month" };
        subscription["quantity"] = 1;
        var previous = new JsonObject { ["plan"] = new JsonObject { ["id"] = "gold", ["object"] = "plan", ["amount"] = 2500, ["interval"] = "month" } };

        var snapshot = Read(StripeEventJson.Envelope("customer.subscription.updated", subscription, Created, previousAttributes: previous)).Event!.Subscription!;

        Assert.True(snapshot.Downgraded);
    }

    private static string Fixture(string fileName) => File.ReadAllText(Path.Combine(StripeFixtures.Directory, fileName));

    private static EnvelopeReadResult ReadFixture(string fileName) => Read(Fixture(fileName));

    private static EnvelopeReadResult Read(string json) => StripeEnvelopeReader.Read(Encoding.UTF8.GetBytes(json));

    private static JsonObject Subscription(JsonObject items) => new()
    {
        ["id"] = "sub_1", ["object"] = "subscription", ["customer"] = "cus_1", ["status"] = "active", ["items"] = items,
    };

    private static JsonObject Items(params (string Price, long? UnitAmount, string Interval, long? Quantity)[] items)
    {
        var data = new JsonArray();
        foreach (var (price, unitAmount, interval, quantity) in items)
        {
            var item = new JsonObject
            {
                ["object"] = "subscription_item",
                ["price"] = new JsonObject
                {
                    ["id"] = price, ["object"] = "price", ["unit_amount"] = unitAmount,
                    ["recurring"] = new JsonObject { ["interval"] = interval, ["interval_count"] = 1 },
                },
            };
            if (quantity is not null)
            {
                item["quantity"] = quantity;
            }

            data.Add(item);
        }

        return new JsonObject { ["object"] = "list", ["data"] = data };
    }
}
