using System.Text;
using System.Text.Json.Nodes;
using Billing.Grains.Events;
using Billing.SendEvent;
using Billing.StripeEvents;
using Billing.StripeSamples;
using Stripe;

namespace Billing.Gateway.Tests.Tools;

/// <summary>
/// tools/SendEvent's sample events: signed as Stripe signs, read by the product's own reader into the facts billing
/// folds, and typed by Stripe.net as the objects Stripe sends for each type.
/// </summary>
public sealed class SendEventSampleTests
{
    private const string Secret = "whsec_sample_test_secret";
    private const string Url = "http://127.0.0.1:5080/stripe/webhook";

    public static TheoryData<string> Types() => [.. SampleEvents.Types];

    [Theory]
    [MemberData(nameof(Types))]
    public async Task Every_sample_is_signed_as_stripe_signs_and_read_by_the_envelope_reader(string type)
    {
        var body = Assert.Single(Samples("--type", type, "--customer", "cus_demo"));
        using var request = WebhookPost.Create(Url, body, Secret, DateTimeOffset.UtcNow);
        var sent = await request.Content!.ReadAsStringAsync();
        var header = Assert.Single(request.Headers.GetValues("Stripe-Signature"));

        EventUtility.ValidateSignature(sent, header, Secret, 300);
        Assert.Throws<StripeException>(() => EventUtility.ValidateSignature(sent, header, "whsec_another_secret", 300));

        var read = StripeEnvelopeReader.Read(Encoding.UTF8.GetBytes(sent));
        Assert.Null(read.Error);
        Assert.StartsWith("evt_", read.EventId, StringComparison.Ordinal);
        Assert.False(read.Livemode);
        // Like Stripe's, a dispute names its charge, not a customer.
        Assert.Equal(type == "charge.dispute.created" ? null : "cus_demo", read.CustomerKey);
        if (read.CustomerKey is null)
        {
            Assert.Null(read.Event); // nobody's: acknowledged and used only for anomaly detection
        }
        else if (StripeEventTypes.KindOf(type) is { } kind)
        {
            Assert.Equal(kind, read.Event?.Kind);
            Assert.Equal(type, read.Event!.Type);
        }
    }

    [Theory]
    [InlineData("customer.subscription.created", typeof(Subscription))]
    [InlineData("customer.subscription.updated", typeof(Subscription))]
    [InlineData("customer.subscription.deleted", typeof(Subscription))]
    [InlineData("customer.subscription.trial_will_end", typeof(Subscription))]
    [InlineData("invoice.payment_failed", typeof(Invoice))]
    [InlineData("invoice.paid", typeof(Invoice))]
    [InlineData("entitlements.active_entitlement_summary.updated", typeof(Stripe.Entitlements.ActiveEntitlementSummary))]
    [InlineData("customer.deleted", typeof(Customer))]
    [InlineData("charge.failed", typeof(Charge))]
    [InlineData("charge.succeeded", typeof(Charge))]
    [InlineData("charge.refunded", typeof(Charge))]
    [InlineData("charge.dispute.created", typeof(Dispute))]
    public void Stripe_net_reads_each_sample_as_the_object_stripe_sends_for_its_type(string type, Type objectType)
    {
        var body = Assert.Single(Samples("--type", type, "--customer", "cus_demo"));

        // The typed parse insists on Stripe.net's pinned API version: the samples carry exactly that one.
        var stripeEvent = EventUtility.ParseEvent(body);

        Assert.Equal(type, stripeEvent.Type);
        Assert.IsType(objectType, stripeEvent.Data.Object);
    }

    [Fact]
    public void A_subscription_sample_carries_the_status_price_and_features_asked_for()
    {
        var facts = Read(Samples("--type", "customer.subscription.created", "--customer", "cus_demo", "--status", "past_due",
            "--price", "price_team", "--features", "reports, sso"));

        var subscription = facts.Subscription!;
        Assert.Equal(("sub_demo", "past_due"), (subscription.Id, subscription.Status));
        var item = Assert.Single(subscription.Items);
        Assert.Equal("price_team", item.PriceId);
        Assert.Equal<string>(["reports", "sso"], item.MetadataFeatures);
    }

    [Fact]
    public void Samples_default_to_a_status_that_fits_their_type()
    {
        Assert.Equal("active", Read(Samples("--type", "customer.subscription.created", "--customer", "cus_demo")).Subscription!.Status);
        Assert.Equal("canceled", Read(Samples("--type", "customer.subscription.deleted", "--customer", "cus_demo")).Subscription!.Status);
        var trial = Read(Samples("--type", "customer.subscription.trial_will_end", "--customer", "cus_demo"));
        Assert.Equal("trialing", trial.Subscription!.Status);
        Assert.True(trial.Subscription.TrialEnd > trial.Created, "a trial that will end ends after the event");
        var updated = Read(Samples("--type", "customer.subscription.updated", "--customer", "cus_demo", "--previous-status", "trialing"));
        Assert.Equal(("active", "trialing"), (updated.Subscription!.Status, updated.Subscription.PreviousStatus));
    }

    [Fact]
    public void An_invoice_sample_names_its_subscription_where_the_current_api_puts_it()
    {
        var facts = Read(Samples("--type", "invoice.payment_failed", "--customer", "cus_demo", "--amount", "4900"));

        Assert.Equal(("sub_demo", 4900L, "usd"), (facts.Invoice!.SubscriptionId, facts.Invoice.AmountDue, facts.Invoice.Currency));
        Assert.StartsWith("https://invoice.stripe.com/", facts.Invoice.HostedInvoiceUrl, StringComparison.Ordinal);
    }

    [Fact]
    public void An_entitlement_summary_sample_lists_the_features_asked_for_as_lookup_keys()
    {
        var facts = Read(Samples("--type", "entitlements.active_entitlement_summary.updated", "--customer", "cus_demo",
            "--features", "api,seats"));

        Assert.Equal<string>(["api", "seats"], facts.EntitlementSummary!.LookupKeys);
    }

    [Fact]
    public void A_connect_sample_is_read_as_the_connected_accounts_customer()
    {
        var body = Assert.Single(Samples("--type", "charge.failed", "--customer", "cus_demo", "--account", "acct_1Demo"));

        Assert.Equal("acct_1Demo/cus_demo", StripeEnvelopeReader.Read(Encoding.UTF8.GetBytes(body)).CustomerKey);
        Assert.Equal("acct_1Demo", (string?)JsonNode.Parse(body)!["account"]);
    }

    [Fact]
    public void A_count_sends_that_many_distinct_events_about_distinct_objects()
    {
        var bodies = Samples("--type", "charge.failed", "--customer", "cus_demo", "--count", "25");

        Assert.Equal(25, bodies.Count);
        var nodes = bodies.Select(b => JsonNode.Parse(b)!).ToList();
        Assert.Equal(25, nodes.Select(n => (string?)n["id"]).Distinct().Count());
        Assert.Equal(25, nodes.Select(n => (string?)n["data"]!["object"]!["id"]).Distinct().Count());
        Assert.All(nodes, n => Assert.Equal("failed", (string?)n["data"]!["object"]!["status"]));
    }

    [Theory]
    [InlineData("no customer", "--type", "invoice.paid")]
    [InlineData("an unknown type", "--type", "invoice.voided", "--customer", "cus_demo")]
    [InlineData("a sample option with a file", "event.json", "--status", "active")]
    [InlineData("a count with a file", "event.json", "--count", "3")]
    [InlineData("a file and a type", "event.json", "--type", "invoice.paid", "--customer", "cus_demo")]
    [InlineData("an account that is not acct_", "--type", "invoice.paid", "--customer", "cus_demo", "--account", "cus_x")]
    [InlineData("a count of zero", "--type", "invoice.paid", "--customer", "cus_demo", "--count", "0")]
    [InlineData("nothing to send")]
    public void Contradictory_or_incomplete_arguments_are_refused(string why, params string[] args)
    {
        var (options, error) = SendEventOptions.Parse(args, _ => null);

        Assert.True(options is null && error is not null, $"{why}: accepted");
    }

    [Fact]
    public void The_secret_comes_from_the_option_then_the_environment_then_run_sh()
    {
        string[] sample = ["--type", "invoice.paid", "--customer", "cus_demo"];
        Assert.Equal(SendEventOptions.DevSecret, SendEventOptions.Parse(sample, _ => null).Options!.Secret);
        Assert.Equal("whsec_env", SendEventOptions.Parse(sample, name => name == "STRIPE_WEBHOOK_SECRET" ? "whsec_env" : null).Options!.Secret);
        Assert.Equal("whsec_arg", SendEventOptions.Parse([.. sample, "--secret", "whsec_arg"], _ => "whsec_env").Options!.Secret);
    }

    private static IReadOnlyList<string> Samples(params string[] args)
    {
        var (options, error) = SendEventOptions.Parse(args, _ => null);
        Assert.True(options is not null, error);
        return EventBodies.Samples(options, DateTimeOffset.UtcNow);
    }

    private static StripeEvent Read(IReadOnlyList<string> bodies)
    {
        var read = StripeEnvelopeReader.Read(Encoding.UTF8.GetBytes(Assert.Single(bodies)));
        Assert.Null(read.Error);
        return read.Event ?? throw new Xunit.Sdk.XunitException($"{read.EventId}: no facts read");
    }
}
