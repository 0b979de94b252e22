using Billing.Grains.Journal;
using Billing.Journal;
using Billing.Outbound;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace Billing.Grains.Fanout;

/// <summary>Delivers <c>notification.*</c> messages to the notification endpoints (a mailer, a CRM).</summary>
[ImplicitStreamSubscription(FanoutStreams.Notifications)]
public sealed class NotificationGrain(
    IJournalStore journal,
    OutboundDelivery delivery,
    IOptions<SiloMessagingOptions> messaging,
    TimeProvider time,
    ILogger<NotificationGrain> logger)
    : FanoutConsumerGrain(journal, delivery, messaging, time, logger), INotificationGrain
{
    /// <inheritdoc/>
    protected override string Consumer => FanoutStreams.Notifications;

    /// <inheritdoc/>
    protected override OutboundTarget Target => OutboundTarget.Notifications;

    /// <inheritdoc/>
    protected override bool IsFor(JournalEffects effects) => effects.ForNotifications;

    /// <inheritdoc/>
    protected override IEnumerable<IFanoutMessage> MessagesOf(string customerId, DateTimeOffset recordedAt, JournalEffects effects) =>
        effects.Notifications ?? [];

    /// <inheritdoc/>
    protected override (string Type, byte[] Body) Serialize(IFanoutMessage message)
    {
        var notification = (CustomerNotification)message;
        return (OutboundJson.TypeOf(notification.Kind), OutboundJson.Serialize(notification));
    }
}
