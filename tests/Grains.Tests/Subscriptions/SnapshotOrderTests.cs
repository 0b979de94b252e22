using Billing.Testing.Events;
using Billing.Grains.Customers;
using Billing.Grains.Subscriptions;
using Billing.Grains.Events;
using static Billing.Testing.Events.EventFactory;

namespace Billing.Grains.Tests.Subscriptions;

public sealed class SnapshotOrderTests
{
    private const long T0 = 1_700_000_000;

    private static string FinalStatus(params StripeEvent[] events)
    {
        var state = new CustomerState();
        foreach (var stripeEvent in events)
        {
            StripeEventApplier.Apply(state, stripeEvent);
        }

        return state.Subscriptions["sub_1"].Status;
    }

    [Fact]
    public void An_older_snapshot_changes_nothing()
    {
        Assert.Equal("active", FinalStatus(Subscription("sub_1", "active", T0 + 5), Subscription("sub_1", "past_due", T0)));
    }

    [Fact]
    public void A_newer_snapshot_replaces_the_current_one()
    {
        Assert.Equal("past_due", FinalStatus(Subscription("sub_1", "active", T0), Subscription("sub_1", "past_due", T0 + 1, "active")));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void In_the_same_second_previous_attributes_order_the_snapshots(bool inOrder)
    {
        // trialing -> active -> past_due would lose to the status order alone (past_due ranks above active);
        // here the chain says active came last.
        var first = Subscription("sub_1", "past_due", T0, "trialing");
        var second = Subscription("sub_1", "active", T0, "past_due");
        Assert.Equal("active", inOrder ? FinalStatus(first, second) : FinalStatus(second, first));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void In_the_same_second_without_previous_status_the_later_status_in_the_contracts_order_wins(bool inOrder)
    {
        var trialing = Subscription("sub_1", "trialing", T0);
        var active = Subscription("sub_1", "active", T0);
        Assert.Equal("active", inOrder ? FinalStatus(trialing, active) : FinalStatus(active, trialing));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_cycle_in_the_same_second_falls_back_to_the_contracts_order(bool inOrder)
    {
        var a = Subscription("sub_1", "active", T0, "past_due");
        var b = Subscription("sub_1", "past_due", T0, "active");
        Assert.Equal("past_due", inOrder ? FinalStatus(a, b) : FinalStatus(b, a));
    }

    [Fact]
    public void Deletion_is_final_even_before_older_or_newer_snapshots()
    {
        Assert.Equal("canceled", FinalStatus(SubscriptionDeleted("sub_1", T0), Subscription("sub_1", "active", T0 + 100)));
        Assert.Equal("canceled", FinalStatus(Subscription("sub_1", "active", T0 + 100), SubscriptionDeleted("sub_1", T0)));
    }

    [Theory]
    [InlineData("active", "past_due", "active", false)]
    [InlineData("active", "past_due", "past_due", true)]
    [InlineData("active", "past_due", "canceled", true)]
    [InlineData("past_due", "active", "past_due", false)]
    public void Stripes_current_status_settles_a_tie_when_it_names_one_of_the_two(string current, string incoming, string atStripe, bool supersedes)
    {
        var record = new SubscriptionRecord { Status = current, EventId = "evt_a", Created = T0 };
        var snapshot = new SubscriptionSnapshot("sub_1", incoming, null, []);

        Assert.True(SnapshotOrder.NeedsStripeToDecide(record, snapshot, T0));
        Assert.Equal(supersedes, SnapshotOrder.Supersedes(record, snapshot, T0, "evt_b", atStripe));
    }

    [Fact]
    public void Stripe_is_not_asked_when_time_or_previous_attributes_decide()
    {
        var record = new SubscriptionRecord { Status = "trialing", EventId = "evt_a", Created = T0 };
        Assert.False(SnapshotOrder.NeedsStripeToDecide(record, new SubscriptionSnapshot("sub_1", "active", null, []), T0 + 1));
        Assert.False(SnapshotOrder.NeedsStripeToDecide(record, new SubscriptionSnapshot("sub_1", "active", "trialing", []), T0));
        Assert.False(SnapshotOrder.NeedsStripeToDecide(record, new SubscriptionSnapshot("sub_1", "trialing", null, []), T0));
    }
}
