using Billing.Grains.Customers;
using Billing.Grains.Events;
using Billing.Grains.Risk;

namespace Billing.Grains.Tests.Risk;

/// <summary>Journals and snapshots written before churn risk still fold; the new facts survive the journal's JSON.</summary>
public sealed class RiskFactsJsonTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_763_990_000);

    // Facts as the journal stored them before churn risk (no cancel_at, has_payment_method, attempt_count, charge...).
    private const string OldSubscriptionFacts =
        """{"event":{"id":"evt_old1","type":"customer.subscription.updated","kind":"SubscriptionChanged","created":1763900000,"subscription":{"id":"sub_1","status":"past_due","items":[{"price_id":"price_pro","metadata_features":[]}],"trial_end":1764000000}}}""";

    private const string OldFailureFacts =
        """{"event":{"id":"evt_old2","type":"invoice.payment_failed","kind":"InvoicePaymentFailed","created":1763900001,"invoice":{"id":"in_1","subscription_id":"sub_1","amount_due":2000,"currency":"usd"}}}""";

    // A snapshot's state as written before churn risk: no "risk", no "final_failure_at", no cancellation fields.
    private const string OldState =
        """{"subscriptions":{"sub_1":{"status":"past_due","created":1763900000,"event_id":"evt_old1","final":false,"items":[],"past_due_seen_at":[1763900000]}},"dunning":{"failures_since_last_payment":[1763900001]},"deleted":false,"access":"Grace","features":[],"version":1,"updated_at":"2025-11-23T12:13:20+00:00"}""";

    [Fact]
    public void Old_facts_fold_with_the_new_fields_at_their_defaults()
    {
        var subscription = FactsJson.Deserialize(OldSubscriptionFacts).Event!;
        var failure = FactsJson.Deserialize(OldFailureFacts).Event!;
        var state = new CustomerState();

        StripeEventApplier.Apply(state, subscription);
        StripeEventApplier.Apply(state, failure);

        Assert.Equal((false, (long?)null, (bool?)null, false),
            (subscription.Subscription!.CancelAtPeriodEnd, subscription.Subscription.CancelAt, subscription.Subscription.HasPaymentMethod, subscription.Subscription.Downgraded));
        Assert.Equal(((int?)null, (bool?)null), (failure.Invoice!.AttemptCount, failure.Invoice.FinalAttempt));
        Assert.Null(failure.Charge);
        var risk = ChurnRisk.Assess(state, Now);
        Assert.Equal(["past_due", "failed_payments"], risk.Reasons.Select(r => r.Code));
        Assert.False(risk.Cancelling);
    }

    [Fact]
    public void An_old_snapshot_state_reads_with_empty_risk_signals()
    {
        var snapshot = FactsJson.Deserialize($$"""{"state":{{OldState}}}""").State!;

        Assert.NotNull(snapshot.Risk);
        Assert.Null(snapshot.Risk.LastRefundAt);
        Assert.Null(snapshot.Dunning.FinalFailureAt);
        Assert.False(snapshot.Subscriptions["sub_1"].CancelAtPeriodEnd);
        Assert.Equal(50, ChurnRisk.Assess(snapshot, Now).Score);
    }

    [Fact]
    public void The_new_facts_survive_the_journals_json()
    {
        var facts = new EventFacts(new StripeEvent("evt_1", "customer.subscription.updated", StripeEventKind.SubscriptionChanged, 1,
            Subscription: new SubscriptionSnapshot("sub_1", "active", null, [], 5, CancelAtPeriodEnd: true, CancelAt: 9, HasPaymentMethod: false, Downgraded: true)));
        var refund = new EventFacts(new StripeEvent("evt_2", "charge.refunded", StripeEventKind.ChargeRefunded, 2, Charge: new ChargeFacts("ch_1", 300, "usd")));
        var failed = new EventFacts(new StripeEvent("evt_3", "invoice.payment_failed", StripeEventKind.InvoicePaymentFailed, 3,
            Invoice: new InvoiceFacts("in_1", null, 1, "usd", null, AttemptCount: 4, FinalAttempt: true)));

        var snapshot = facts.Event!.Subscription!;
        Assert.Equal(snapshot, FactsJson.Deserialize(FactsJson.Serialize(facts)).Event!.Subscription! with { Items = snapshot.Items });
        Assert.Equal(refund.Event, FactsJson.Deserialize(FactsJson.Serialize(refund)).Event);
        Assert.Equal(failed.Event, FactsJson.Deserialize(FactsJson.Serialize(failed)).Event);
        Assert.Contains("\"charge\":{\"charge_id\":\"ch_1\"", FactsJson.Serialize(refund), StringComparison.Ordinal);
    }

    [Fact]
    public void A_cloned_state_keeps_its_risk_signals()
    {
        var state = new CustomerState { Risk = new RiskSignals { LastRefundAt = 7, LastDisputeAt = 8, LastDowngradeAt = 9 } };
        state.Dunning.FinalFailureAt = 6;

        var clone = FactsJson.Clone(state);

        Assert.Equal((7L, 8L, 9L, 6L), (clone.Risk.LastRefundAt!.Value, clone.Risk.LastDisputeAt!.Value, clone.Risk.LastDowngradeAt!.Value, clone.Dunning.FinalFailureAt!.Value));
    }
}
