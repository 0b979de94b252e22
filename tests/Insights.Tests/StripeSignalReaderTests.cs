using System.Text.Json.Nodes;
using Billing.Insights.Tests.Generation;

namespace Billing.Insights.Tests;

public sealed class StripeSignalReaderTests
{
    private const string Charge = "ch_3PabcFailed";
    private const string Intent = "pi_3PabcIntent";
    private static readonly string[] OneFailure = ["rubymock__invoice.payment_failed.json", "rubymock__payment_intent.payment_failed.json"];

    [Fact]
    public void One_failed_payment_announced_three_ways_carries_one_key_and_counts_once()
    {
        var charge = StripeJson.Event("evt_1", "charge.failed", StripeJson.FailedCharge(Charge, Intent, 300, "incorrect_cvc"), "acct_1");
        var intent = StripeJson.Event("evt_2", "payment_intent.payment_failed", new JsonObject
        {
            ["id"] = Intent, ["object"] = "payment_intent", ["amount"] = 300, ["currency"] = "eur", ["latest_charge"] = Charge,
            ["last_payment_error"] = new JsonObject { ["charge"] = Charge, ["code"] = "incorrect_cvc" },
        }, "acct_1");
        var invoice = StripeJson.Event("evt_3", "invoice.payment_failed", new JsonObject
        {
            ["id"] = "in_1", ["object"] = "invoice", ["amount_due"] = 300, ["currency"] = "eur", ["charge"] = Charge,
            ["payment_intent"] = Intent, ["attempt_count"] = 1,
        }, "acct_1", apiVersion: "2024-06-20");

        var signals = new[] { charge, intent, invoice }.Select(b => StripeSignalReader.Read(b)!).ToList();

        Assert.All(signals, s =>
        {
            Assert.Equal(SignalKind.PaymentFailed, s.Kind);
            Assert.Equal("acct_1", s.Account);
            Assert.Equal(Charge, s.PaymentKey);
            Assert.False(s.FallbackKey);
            Assert.Equal(300, s.AmountMinor);
        });
        Assert.Equal(["incorrect_cvc", "incorrect_cvc", null], signals.Select(s => s.DeclineCode));
        Assert.Equal(1, new AccountDetector(new DetectionOptions()).Observe(signals));
    }

    [Fact]
    public void A_modern_invoice_without_a_charge_counts_only_where_no_charge_events_arrive()
    {
        var modern = StripeSignalReader.Read(StripeJson.Event("evt_9", "invoice.payment_failed", new JsonObject
        {
            ["id"] = "in_9", ["object"] = "invoice", ["amount_due"] = 900, ["attempt_count"] = 2,
        }))!;
        Assert.Equal("in_9#2", modern.PaymentKey);
        Assert.True(modern.FallbackKey);
        Assert.Equal(StripeSignalReader.Platform, modern.Account);

        var invoicesOnly = new AccountDetector(new DetectionOptions());
        Assert.Equal(1, invoicesOnly.Observe([modern]));

        var withCharges = new AccountDetector(new DetectionOptions());
        var charge = StripeSignalReader.Read(StripeJson.Event("evt_8", "charge.failed", StripeJson.FailedCharge("ch_8", "pi_8", 900, "generic_decline")))!;
        Assert.Equal(1, withCharges.Observe([charge]));
        Assert.Equal(0, withCharges.Observe([modern]));
    }

    [Fact]
    public void Refunds_are_keyed_by_refund_so_charge_refunded_and_refund_created_count_once()
    {
        var refunded = StripeSignalReader.Read(StripeJson.Event("evt_r1", "charge.refunded", new JsonObject
        {
            ["id"] = "ch_r", ["object"] = "charge", ["amount_refunded"] = 700, ["currency"] = "usd",
            ["refunds"] = new JsonObject
            {
                ["data"] = new JsonArray(
                    new JsonObject { ["id"] = "re_new", ["amount"] = 200, ["created"] = 1_780_000_100 },
                    new JsonObject { ["id"] = "re_old", ["amount"] = 500, ["created"] = 1_780_000_000 }),
            },
        }))!;
        var created = StripeSignalReader.Read(StripeJson.Event("evt_r2", "refund.created", new JsonObject
        {
            ["id"] = "re_new", ["object"] = "refund", ["amount"] = 200, ["charge"] = "ch_r", ["currency"] = "usd",
        }))!;
        var noList = StripeSignalReader.Read(StripeJson.Event("evt_r3", "charge.refunded", new JsonObject
        {
            ["id"] = "ch_s", ["object"] = "charge", ["amount_refunded"] = 300,
        }))!;

        Assert.Equal(("re_new", 200L), (refunded.PaymentKey, refunded.AmountMinor!.Value));
        Assert.Equal(SignalKind.Refund, created.Kind);
        Assert.Equal("re_new", created.PaymentKey);
        Assert.Equal(("ch_s#300", true), (noList.PaymentKey, noList.FallbackKey));
        Assert.Equal(1, new AccountDetector(new DetectionOptions()).Observe([refunded, created]));
    }

    [Fact]
    public void Card_setups_and_fraud_warnings_read_as_their_signals()
    {
        var setup = StripeSignalReader.Read(StripeJson.Event("evt_s", "setup_intent.setup_failed", new JsonObject
        {
            ["id"] = "seti_1", ["object"] = "setup_intent", ["latest_attempt"] = "setatt_1",
            ["last_setup_error"] = new JsonObject { ["code"] = "card_declined", ["decline_code"] = "incorrect_number" },
        }, "acct_2"))!;
        var warning = StripeSignalReader.Read(StripeJson.Event("evt_w", "radar.early_fraud_warning.created", new JsonObject
        {
            ["id"] = "issfr_1", ["object"] = "radar.early_fraud_warning", ["charge"] = "ch_w", ["fraud_type"] = "made_with_stolen_card",
        }, "acct_2"))!;

        Assert.Equal((SignalKind.PaymentFailed, true, "setatt_1", "incorrect_number"), (setup.Kind, setup.SetupIntent, setup.PaymentKey, setup.DeclineCode));
        Assert.Equal((SignalKind.EarlyFraudWarning, "ch_w"), (warning.Kind, warning.PaymentKey));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_780_000_000), warning.At);
    }

    [Fact]
    public void Events_without_a_payment_attempt_or_signal_read_as_nothing()
    {
        Assert.Null(StripeSignalReader.Read(StripeJson.Event("evt_z", "invoice.paid", new JsonObject { ["id"] = "in_z", ["amount_paid"] = 0 })));
        Assert.Null(StripeSignalReader.Read(StripeJson.Event("evt_o", "invoice.paid", new JsonObject
        {
            ["id"] = "in_o", ["amount_paid"] = 500, ["paid_out_of_band"] = true,
        })));
        Assert.Null(StripeSignalReader.Read(StripeJson.Event("evt_c", "customer.created", new JsonObject { ["id"] = "cus_1" })));
        Assert.Null(StripeSignalReader.Read("not json"u8.ToArray()));
        Assert.Null(StripeSignalReader.Read("{\"id\":\"evt_x\",\"type\":\"charge.failed\"}"u8.ToArray()));
    }

    [FixtureFact]
    public void Real_fixtures_read_as_their_signals_whatever_their_api_version()
    {
        var expected = new Dictionary<string, (SignalKind Kind, string Key)>
        {
            ["rubymock__charge.dispute.created.json"] = (SignalKind.Dispute, "ch_000000000000000000000000"),
            ["rubymock__charge.refunded.json"] = (SignalKind.Refund, "re_000000000000000000000000"),
            ["rubymock__invoice.paid.json"] = (SignalKind.PaymentSucceeded, "ch_000000000000000000000000"),
            ["rubymock__invoice.payment_succeeded.json"] = (SignalKind.PaymentSucceeded, "ch_000000000000000000000000"),
            ["rubymock__invoice.payment_failed.json"] = (SignalKind.PaymentFailed, "ch_000000000000000000000000"),
            ["rubymock__payment_intent.payment_failed.json"] = (SignalKind.PaymentFailed, "ch_000000000000000000000000"),
            ["rubymock__payment_intent.succeeded.json"] = (SignalKind.PaymentSucceeded, "ch_000000000000000000000000"),
        };

        foreach (var file in Directory.EnumerateFiles(Fixtures.Directory!, "*.json").Select(Path.GetFileName))
        {
            var signal = StripeSignalReader.Read(Fixtures.Read(file!));
            if (expected.TryGetValue(file!, out var want))
            {
                Assert.NotNull(signal);
                Assert.Equal((want.Kind, want.Key, false, StripeSignalReader.Platform), (signal.Kind, signal.PaymentKey, signal.FallbackKey, signal.Account));
            }
            else
            {
                Assert.Null(signal);
            }
        }

        Assert.Equal("generic_decline", StripeSignalReader.Read(Fixtures.Read("rubymock__payment_intent.payment_failed.json"))!.DeclineCode);
    }

    [FixtureFact]
    public void Real_fixtures_of_one_failure_count_once_even_with_fresh_event_ids()
    {
        // The fixtures share event ids (SOURCES.md); fresh ids leave only the payment key to dedupe them.
        var signals = OneFailure.Select((file, i) => StripeSignalReader.Read(Fixtures.Read(file))! with { EventId = $"evt_fresh{i}" }).ToList();

        Assert.Equal(1, new AccountDetector(new DetectionOptions()).Observe(signals));
    }
}
