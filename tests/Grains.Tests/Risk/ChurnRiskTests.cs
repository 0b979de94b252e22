using Billing.Grains.Customers;
using Billing.Grains.Events;
using Billing.Grains.Risk;
using Billing.Testing.Events;

namespace Billing.Grains.Tests.Risk;

/// <summary>The churn-risk score: each reason's points, the cap, the windows, the bands, and cancelling as a state.</summary>
public sealed class ChurnRiskTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);
    private static readonly long NowSeconds = Now.ToUnixTimeSeconds();
    private const long Day = 86_400;

    [Fact]
    public void A_healthy_active_customer_has_no_risk()
    {
        var state = Apply(Snapshot("active"));

        var risk = ChurnRisk.Assess(state, Now);

        Assert.Equal((0, RiskBand.None, false), (risk.Score, risk.Band, risk.Cancelling));
        Assert.Empty(risk.Reasons);
        Assert.True(risk.IsEmpty);
    }

    [Fact]
    public void Past_due_counts_40_and_each_failed_attempt_10()
    {
        var state = Apply(Snapshot("past_due"), Failed(NowSeconds - 2 * Day), Failed(NowSeconds - Day));

        var risk = ChurnRisk.Assess(state, Now);

        Assert.Equal([("past_due", 40), ("failed_payments", 20)], risk.Reasons.Select(r => (r.Code, r.Points)));
        Assert.Equal(60, risk.Score);
        Assert.Equal(RiskBand.Medium, risk.Band);
        Assert.Equal("subscription sub_1 is past_due", risk.Reasons[0].Detail);
        Assert.Equal("2 failed payment attempts since the last payment", risk.Reasons[1].Detail);
    }

    [Fact]
    public void Failed_attempts_are_capped_at_30_and_a_final_failure_adds_30()
    {
        var state = Apply(Snapshot("past_due"), Failed(NowSeconds - 4 * Day), Failed(NowSeconds - 3 * Day),
            Failed(NowSeconds - 2 * Day), Failed(NowSeconds - Day, final: true));

        var risk = ChurnRisk.Assess(state, Now);

        Assert.Equal(30, risk.Reasons.Single(r => r.Code == "failed_payments").Points);
        Assert.Equal(30, risk.Reasons.Single(r => r.Code == "final_attempt_failed").Points);
        Assert.Equal(100, risk.Score);
        Assert.Equal(RiskBand.High, risk.Band);
    }

    [Fact]
    public void A_payment_ends_the_failures_and_the_final_failure()
    {
        var state = Apply(Snapshot("past_due", created: NowSeconds - 3 * Day), Failed(NowSeconds - 2 * Day, final: true),
            Snapshot("active", created: NowSeconds - Day), EventFactory.Paid(NowSeconds - Day));

        Assert.True(ChurnRisk.Assess(state, Now).IsEmpty);
    }

    [Fact]
    public void A_payment_that_arrives_before_an_older_failure_still_ends_it()
    {
        var state = Apply(EventFactory.Paid(NowSeconds - Day), Failed(NowSeconds - 2 * Day, final: true));

        Assert.True(ChurnRisk.Assess(state, Now).IsEmpty);
    }

    [Theory]
    [InlineData(2 * Day, false, 50)]   // within 3 days, no payment method
    [InlineData(3 * Day, false, 50)]   // exactly 3 days
    [InlineData(3 * Day + 1, false, 0)] // just outside
    [InlineData(2 * Day, true, 0)]     // a payment method is set
    [InlineData(-60, false, 0)]        // already ended
    public void A_trial_ending_soon_without_a_payment_method_counts_50(long endsIn, bool hasPaymentMethod, int points)
    {
        var state = Apply(Snapshot("trialing", trialEnd: NowSeconds + endsIn, hasPaymentMethod: hasPaymentMethod));

        var risk = ChurnRisk.Assess(state, Now);

        Assert.Equal(points, risk.Score);
        if (points > 0)
        {
            var reason = Assert.Single(risk.Reasons);
            Assert.Equal("trial_ending_without_payment_method", reason.Code);
            Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(NowSeconds + endsIn), reason.ExpiresAt);
            Assert.Equal(RiskBand.Medium, risk.Band);
        }
    }

    [Fact]
    public void A_trial_whose_payload_does_not_say_about_a_payment_method_does_not_count()
    {
        var state = Apply(Snapshot("trialing", trialEnd: NowSeconds + Day, hasPaymentMethod: null));

        Assert.True(ChurnRisk.Assess(state, Now).IsEmpty);
    }

    [Theory]
    [InlineData("downgrade", 20, 29)]
    [InlineData("refund", 10, 29)]
    [InlineData("dispute", 50, 89)]
    public void Downgrades_refunds_and_disputes_count_within_their_window(string code, int points, int daysAgoStillCounting)
    {
        StripeEvent Signal(long created) => code switch
        {
            "downgrade" => Snapshot("active", created: created, downgraded: true),
            "refund" => new StripeEvent(EventFactory.NextId(), "charge.refunded", StripeEventKind.ChargeRefunded, created, Charge: new ChargeFacts("ch_1", 500, "usd")),
            _ => new StripeEvent(EventFactory.NextId(), "charge.dispute.created", StripeEventKind.ChargeDisputed, created, Charge: new ChargeFacts("ch_1", 500, "usd")),
        };

        var recent = ChurnRisk.Assess(Apply(Snapshot("active", created: 1), Signal(NowSeconds - daysAgoStillCounting * Day)), Now);
        var old = ChurnRisk.Assess(Apply(Snapshot("active", created: 1), Signal(NowSeconds - (daysAgoStillCounting + 1) * Day)), Now);

        var reason = Assert.Single(recent.Reasons);
        Assert.Equal((code, points), (reason.Code, reason.Points));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(NowSeconds - daysAgoStillCounting * Day) + TimeSpan.FromDays(daysAgoStillCounting + 1), reason.ExpiresAt);
        Assert.True(old.IsEmpty);
    }

    [Fact]
    public void A_reason_drops_out_of_an_assessment_read_after_its_window()
    {
        var state = Apply(Snapshot("past_due"), Snapshot("past_due", created: NowSeconds - 29 * Day, downgraded: true, subscriptionId: "sub_2"));
        var risk = ChurnRisk.Assess(state, Now);
        Assert.Equal(60, risk.Score);

        var later = risk.At(Now + TimeSpan.FromDays(2));

        Assert.Equal(40, later.Score);
        Assert.Equal(RiskBand.Medium, later.Band);
        Assert.Equal(["past_due"], later.Reasons.Select(r => r.Code));
        Assert.Null(risk.EmptyAt); // past_due lasts until an event ends it
    }

    [Theory]
    [InlineData(true, null)]
    [InlineData(false, 1_900_000_000L)]
    public void A_scheduled_cancellation_is_a_state_of_its_own_not_points(bool atPeriodEnd, long? cancelAt)
    {
        var state = Apply(Snapshot("active", cancelAtPeriodEnd: atPeriodEnd, cancelAt: cancelAt));

        var risk = ChurnRisk.Assess(state, Now);

        Assert.True(risk.Cancelling);
        Assert.Equal(0, risk.Score);
        Assert.Equal(RiskBand.None, risk.Band);
        Assert.False(risk.IsEmpty);
    }

    [Theory]
    [InlineData(0, RiskBand.None)]
    [InlineData(10, RiskBand.Low)]
    [InlineData(39, RiskBand.Low)]
    [InlineData(40, RiskBand.Medium)]
    [InlineData(69, RiskBand.Medium)]
    [InlineData(70, RiskBand.High)]
    [InlineData(250, RiskBand.High)]
    public void Bands_follow_the_score(int score, RiskBand band) => Assert.Equal(band, RiskAssessment.BandOf(score));

    [Fact]
    public void A_customer_who_has_churned_already_shows_no_risk()
    {
        var canceled = Apply(Snapshot("past_due", created: NowSeconds - Day), Failed(NowSeconds - Day),
            EventFactory.SubscriptionDeleted("sub_1", NowSeconds));
        var deleted = Apply(Snapshot("past_due"), Failed(NowSeconds - Day), EventFactory.CustomerDeleted(NowSeconds));

        Assert.True(ChurnRisk.Assess(canceled, Now).IsEmpty);
        Assert.True(ChurnRisk.Assess(deleted, Now).IsEmpty);
    }

    [Fact]
    public void The_assessment_is_the_same_whatever_order_the_events_arrive_in()
    {
        StripeEvent[] events =
        [
            Snapshot("active", created: NowSeconds - 5 * Day), Snapshot("past_due", created: NowSeconds - 4 * Day, downgraded: true),
            Failed(NowSeconds - 4 * Day), Failed(NowSeconds - 3 * Day, final: true),
            new(EventFactory.NextId(), "charge.refunded", StripeEventKind.ChargeRefunded, NowSeconds - 2 * Day),
            Snapshot("past_due", created: NowSeconds - Day, cancelAtPeriodEnd: true),
        ];
        var expected = ChurnRisk.Assess(Apply(events), Now);

        var reversed = ChurnRisk.Assess(Apply([.. events.Reverse()]), Now);

        Assert.True(expected.SameAs(reversed));
        Assert.Equal(40 + 20 + 30 + 20 + 10, expected.Score);
        Assert.True(expected.Cancelling);
    }

    [Fact]
    public void Reasons_carry_ids_counts_and_dates_only()
    {
        var state = Apply(Snapshot("past_due"), Failed(NowSeconds - Day, final: true));

        var details = string.Join(" ", ChurnRisk.Assess(state, Now).Reasons.Select(r => r.Detail));

        Assert.DoesNotContain("@", details, StringComparison.Ordinal);
        Assert.Contains("2026-11-19", details, StringComparison.Ordinal);
    }

    private static CustomerState Apply(params StripeEvent[] events)
    {
        var state = new CustomerState();
        foreach (var stripeEvent in events)
        {
            StripeEventApplier.Apply(state, stripeEvent);
        }

        return state;
    }

    private static StripeEvent Snapshot(string status, long? created = null, long? trialEnd = null, bool? hasPaymentMethod = true,
        bool cancelAtPeriodEnd = false, long? cancelAt = null, bool downgraded = false, string subscriptionId = "sub_1") =>
        new(EventFactory.NextId(), "customer.subscription.updated", StripeEventKind.SubscriptionChanged, created ?? NowSeconds - Day,
            Subscription: new SubscriptionSnapshot(subscriptionId, status, null, [EventFactory.Features("reports")], trialEnd,
                cancelAtPeriodEnd, cancelAt, hasPaymentMethod, downgraded));

    private static StripeEvent Failed(long created, bool final = false) =>
        new(EventFactory.NextId(), "invoice.payment_failed", StripeEventKind.InvoicePaymentFailed, created,
            Invoice: new InvoiceFacts("in_1", "sub_1", 2000, "usd", null, AttemptCount: 1, FinalAttempt: final ? true : false));
}
