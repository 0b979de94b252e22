using Billing.Testing.Events;
using Billing.Grains.Customers;
using Billing.Grains.Entitlements;
using Billing.Grains.Events;
using static Billing.Testing.Events.EventFactory;

namespace Billing.Grains.Tests.Entitlements;

public sealed class EntitlementRulesTests
{
    private const long T0 = 1_700_000_000;
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(T0 + 60);
    private static readonly BillingOptions Options = new() { Dunning = new DunningOptions { GracePeriod = TimeSpan.FromDays(3) } };

    private static EntitlementDecision Evaluate(DateTimeOffset now, BillingOptions options, params StripeEvent[] events)
    {
        var state = new CustomerState();
        foreach (var stripeEvent in events)
        {
            StripeEventApplier.Apply(state, stripeEvent);
        }

        return EntitlementRules.Evaluate(state, now, options);
    }

    private static EntitlementDecision Evaluate(params StripeEvent[] events) => Evaluate(Now, Options, events);

    [Fact]
    public void A_customer_with_nothing_has_no_access_and_no_features()
    {
        var decision = Evaluate();
        Assert.Equal(AccessState.None, decision.Access);
        Assert.Empty(decision.Features);
    }

    [Theory]
    [InlineData("active", AccessState.Active)]
    [InlineData("trialing", AccessState.Active)]
    [InlineData("past_due", AccessState.Grace)]
    [InlineData("unpaid", AccessState.Suspended)]
    [InlineData("paused", AccessState.Suspended)]
    [InlineData("canceled", AccessState.None)]
    [InlineData("incomplete", AccessState.None)]
    [InlineData("incomplete_expired", AccessState.None)]
    [InlineData("some_future_status", AccessState.None)]
    public void Each_subscription_status_maps_to_the_contracts_access(string status, AccessState expected)
    {
        var decision = Evaluate(Subscription("sub_1", status, T0, items: Features("reports")));
        Assert.Equal(expected, decision.Access);
        var grantsFeatures = expected is AccessState.Active or AccessState.Grace;
        Assert.Equal<string>(grantsFeatures ? ["reports"] : [], decision.Features);
    }

    [Theory]
    [InlineData("active", "unpaid", AccessState.Active)]
    [InlineData("trialing", "canceled", AccessState.Active)]
    [InlineData("past_due", "paused", AccessState.Grace)]
    [InlineData("unpaid", "canceled", AccessState.Suspended)]
    [InlineData("canceled", "incomplete", AccessState.None)]
    public void The_best_subscription_decides_access(string first, string second, AccessState expected)
    {
        var decision = Evaluate(Subscription("sub_1", first, T0), Subscription("sub_2", second, T0));
        Assert.Equal(expected, decision.Access);
    }

    [Fact]
    public void Grace_is_measured_from_the_first_unpaid_failure()
    {
        var events = new[] { PaymentFailed(T0), PaymentFailed(T0 + 86_400), Subscription("sub_1", "past_due", T0 + 86_400, "active") };

        var inside = Evaluate(DateTimeOffset.FromUnixTimeSeconds(T0) + TimeSpan.FromDays(3) - TimeSpan.FromSeconds(1), Options, events);
        Assert.Equal(AccessState.Grace, inside.Access);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(T0) + TimeSpan.FromDays(3), inside.GraceEndsAt);

        var after = Evaluate(DateTimeOffset.FromUnixTimeSeconds(T0) + TimeSpan.FromDays(3), Options, events);
        Assert.Equal(AccessState.Suspended, after.Access);
        Assert.Empty(after.Features);
    }

    [Fact]
    public void A_payment_restarts_the_grace_clock_at_the_next_failure()
    {
        var decision = Evaluate(DateTimeOffset.FromUnixTimeSeconds(T0 + 10 * 86_400), Options,
            PaymentFailed(T0), Paid(T0 + 3600), PaymentFailed(T0 + 9 * 86_400),
            Subscription("sub_1", "past_due", T0 + 9 * 86_400, "active"));

        Assert.Equal(AccessState.Grace, decision.Access);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(T0 + 12 * 86_400), decision.GraceEndsAt);
    }

    [Fact]
    public void Without_a_failed_payment_grace_starts_when_the_subscription_first_showed_past_due()
    {
        var decision = Evaluate(DateTimeOffset.FromUnixTimeSeconds(T0 + 2 * 86_400), Options,
            Subscription("sub_1", "active", T0 - 100),
            Subscription("sub_1", "past_due", T0, "active"),
            Subscription("sub_1", "past_due", T0 + 86_400, "past_due"));

        Assert.Equal(AccessState.Grace, decision.Access);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(T0) + TimeSpan.FromDays(3), decision.GraceEndsAt);
    }

    [Fact]
    public void A_configured_grace_period_is_used()
    {
        var shortGrace = new BillingOptions { Dunning = new DunningOptions { GracePeriod = TimeSpan.FromSeconds(30) } };
        var decision = Evaluate(DateTimeOffset.FromUnixTimeSeconds(T0 + 31), shortGrace,
            PaymentFailed(T0), Subscription("sub_1", "past_due", T0, "active"));
        Assert.Equal(AccessState.Suspended, decision.Access);
    }

    [Fact]
    public void Features_come_from_price_metadata_and_the_catalog_by_price_lookup_key_and_product()
    {
        var options = new BillingOptions
        {
            Catalog = new()
            {
                ["price_basic"] = ["exports"],
                ["pro_monthly"] = ["api", "sso"],
                ["prod_addon"] = ["audit-log,webhooks"],
                ["price_unused"] = ["never"],
            },
        };

        var decision = Evaluate(Now, options, Subscription("sub_1", "active", T0, items:
        [
            Item("price_basic", null, "prod_basic", "reports", " charts "),
            Item("price_pro", "pro_monthly", "prod_pro"),
            Item("price_other", null, "prod_addon"),
        ]));

        Assert.Equal<string>(Sorted("api", "audit-log", "charts", "exports", "reports", "sso", "webhooks"), decision.Features);
    }

    [Fact]
    public void Only_subscriptions_that_grant_access_contribute_features()
    {
        var decision = Evaluate(
            Subscription("sub_1", "active", T0, items: Features("a")),
            Subscription("sub_2", "canceled", T0, items: Features("b")),
            Subscription("sub_3", "incomplete", T0, items: Features("c")));

        Assert.Equal<string>(["a"], decision.Features);
    }

    [Fact]
    public void The_latest_entitlement_summary_replaces_the_previous_one_and_adds_its_lookup_keys()
    {
        var decision = Evaluate(
            Subscription("sub_1", "active", T0, items: Features("a")),
            Summary(T0 + 2, "journeys"),
            Summary(T0 + 1, "stale"));

        Assert.Equal<string>(Sorted("a", "journeys"), decision.Features);
    }

    [Fact]
    public void Suspension_removes_every_feature_including_the_entitlement_summary()
    {
        var decision = Evaluate(Subscription("sub_1", "unpaid", T0, items: Features("a")), Summary(T0, "journeys"));
        Assert.Equal(AccessState.Suspended, decision.Access);
        Assert.Empty(decision.Features);
    }

    [Fact]
    public void A_deleted_customer_has_no_access_whatever_arrives_afterwards()
    {
        var decision = Evaluate(CustomerDeleted(T0), Subscription("sub_1", "active", T0 + 10, items: Features("a")), Summary(T0 + 11, "x"));
        Assert.Equal(AccessState.None, decision.Access);
        Assert.Empty(decision.Features);
    }

    [Fact]
    public void Features_are_sorted_and_distinct()
    {
        var decision = Evaluate(
            Subscription("sub_1", "active", T0, items: Features("b", "a", "b")),
            Subscription("sub_2", "trialing", T0, items: Features("a", "c")));
        Assert.Equal<string>(["a", "b", "c"], decision.Features);
    }
}
