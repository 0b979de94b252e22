using Billing.Outbound;
using Microsoft.Extensions.Logging;

namespace Billing.Grains.Fanout;

/// <summary>Delivers <c>notification.*</c> messages to the notification endpoints (a mailer, a CRM).</summary>
[ImplicitStreamSubscription(FanoutStreams.Notifications)]
public sealed class NotificationGrain(
    [PersistentState(stateName: "notifications", storageName: Constants.StorageName)] IPersistentState<ConsumerState> state,
    OutboundDelivery delivery,
    TimeProvider time,
    ILogger<NotificationGrain> logger)
    : FanoutConsumerGrain<CustomerNotification>(state, delivery, time, logger), INotificationGrain
{
    /// <inheritdoc/>
    protected override OutboundTarget Target => OutboundTarget.Notifications;

    /// <inheritdoc/>
    protected override (string Type, byte[] Body) Serialize(CustomerNotification message) =>
        (OutboundJson.TypeOf(message.Kind), OutboundJson.Serialize(message));
}
