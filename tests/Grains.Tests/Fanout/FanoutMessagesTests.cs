using Billing.Testing.Events;
using System.Text.Json;
using Billing.Grains.Customers;
using Billing.Grains.Fanout;
using Billing.Grains.Journal;
using static Billing.Testing.Events.EventFactory;

namespace Billing.Grains.Tests.Fanout;

public sealed class FanoutMessagesTests
{
    private const long T0 = 1_700_000_000;
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(T0 + 5);

    private static CustomerNotification? NotificationFor(CustomerState state, Events.StripeEvent stripeEvent)
    {
        var before = new FactsBefore(state, stripeEvent);
        StripeEventApplier.Apply(state, stripeEvent);
        return FanoutMessages.ForEvent("cus_1", stripeEvent, before, state);
    }

    [Fact]
    public void A_change_becomes_one_fulfillment_message_identified_by_customer_and_version()
    {
        var effects = new JournalEffects(AccessState.Active, ["a"], 1, Now, Changed: true, Previous: new EntitlementsSnapshot(AccessState.None, [], 0));

        var changed = FanoutMessages.EntitlementsChangedOf("cus_1", Now, effects);

        Assert.Equal("cus_1:1", changed.Id);
        Assert.Equal(T0 + 5, changed.Created);
        Assert.Equal(AccessState.None, changed.Previous.Access);
        Assert.Equal("a", Assert.Single(changed.Current.Features));
    }

    [Fact]
    public void A_suspension_by_an_event_also_notifies_under_the_events_id()
    {
        var notification = FanoutMessages.SuspensionOf("cus_1", Now,
            new EntitlementsSnapshot(AccessState.Active, ["a"], 3), new CustomerState { Access = AccessState.Suspended, Version = 4 }, "evt_unpaid");

        Assert.Equal(NotificationKind.AccessSuspended, notification?.Kind);
        Assert.Equal("evt_unpaid", notification?.Id);
    }

    [Fact]
    public void A_suspension_by_the_grace_timer_notifies_under_customer_and_version()
    {
        var notification = FanoutMessages.SuspensionOf("cus_1", Now,
            new EntitlementsSnapshot(AccessState.Grace, ["a"], 3), new CustomerState { Access = AccessState.Suspended, Version = 4 }, causedBy: null);

        Assert.Equal("cus_1:4", notification?.Id);
    }

    [Fact]
    public void A_change_that_does_not_suspend_notifies_nothing()
    {
        Assert.Null(FanoutMessages.SuspensionOf("cus_1", Now,
            new EntitlementsSnapshot(AccessState.Suspended, [], 3), new CustomerState { Access = AccessState.Suspended, Version = 4 }, "evt_1"));
        Assert.Null(FanoutMessages.SuspensionOf("cus_1", Now,
            new EntitlementsSnapshot(AccessState.Active, ["a"], 3), new CustomerState { Access = AccessState.Grace, Version = 4 }, "evt_1"));
    }

    [Fact]
    public void A_failed_payment_notifies_and_a_stale_one_does_not()
    {
        var state = new CustomerState();
        Assert.Equal(NotificationKind.PaymentFailed, NotificationFor(state, PaymentFailed(T0 + 10))?.Kind);
        NotificationFor(state, Paid(T0 + 20));
        Assert.Null(NotificationFor(state, PaymentFailed(T0 + 15)));
    }

    [Fact]
    public void A_payment_that_ends_dunning_notifies_recovery_and_an_ordinary_payment_does_not()
    {
        var state = new CustomerState();
        Assert.Null(NotificationFor(state, Paid(T0)));
        NotificationFor(state, PaymentFailed(T0 + 10));
        Assert.Equal(NotificationKind.PaymentRecovered, NotificationFor(state, Paid(T0 + 20))?.Kind);
    }

    [Fact]
    public void Cancellation_notifies_once()
    {
        var state = new CustomerState();
        Assert.Equal(NotificationKind.SubscriptionCanceled, NotificationFor(state, SubscriptionDeleted("sub_1", T0))?.Kind);
        Assert.Null(NotificationFor(state, SubscriptionDeleted("sub_1", T0 + 1)));
    }

    [Fact]
    public void The_fulfillment_body_has_the_contracts_shape()
    {
        var message = new EntitlementsChanged("cus_123:7", "cus_123", 1763900000,
            new EntitlementsSnapshot(AccessState.Active, ["a", "b"], 7), new EntitlementsSnapshot(AccessState.Grace, ["a", "b"], 6));

        using var json = JsonDocument.Parse(OutboundJson.Serialize(message));

        var root = json.RootElement;
        Assert.Equal("cus_123:7", root.GetProperty("id").GetString());
        Assert.Equal("entitlements.changed", root.GetProperty("type").GetString());
        Assert.Equal("cus_123", root.GetProperty("customer_id").GetString());
        Assert.Equal(1763900000, root.GetProperty("created").GetInt64());
        var data = root.GetProperty("data");
        Assert.Equal("ACTIVE", data.GetProperty("access").GetString());
        Assert.Equal(7, data.GetProperty("version").GetInt64());
        Assert.Equal("change", data.GetProperty("action").GetString());
        Assert.Equal("GRACE", data.GetProperty("previous").GetProperty("access").GetString());
        Assert.Equal(6, data.GetProperty("previous").GetProperty("version").GetInt64());
    }

    [Theory]
    [InlineData(AccessState.None, AccessState.Active, "provision")]
    [InlineData(AccessState.Suspended, AccessState.Grace, "provision")]
    [InlineData(AccessState.Grace, AccessState.Suspended, "deprovision")]
    [InlineData(AccessState.Active, AccessState.None, "deprovision")]
    [InlineData(AccessState.Active, AccessState.Active, "change")]
    [InlineData(AccessState.None, AccessState.Suspended, "change")]
    public void The_action_says_what_fulfillment_should_do(AccessState from, AccessState to, string action)
    {
        var message = new EntitlementsChanged("c:2", "c", 1, new EntitlementsSnapshot(to, [], 2), new EntitlementsSnapshot(from, [], 1));
        Assert.Equal(action, OutboundJson.ActionOf(message));
    }
}
