using Billing.Grains.Fanout;

namespace Billing.Grains.Customers;

/// <summary>Messages that an earlier version's outbox still held when the customer was carried over to the journal.</summary>
/// <param name="Fulfillment">Unacknowledged fulfillment messages, in version order.</param>
/// <param name="Notifications">Unacknowledged notifications.</param>
public sealed record CarriedOverOutbox(IReadOnlyList<EntitlementsChanged> Fulfillment, IReadOnlyList<CustomerNotification> Notifications);
