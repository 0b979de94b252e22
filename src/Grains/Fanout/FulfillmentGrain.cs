using Billing.Grains.Journal;
using Billing.Journal;
using Billing.Outbound;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace Billing.Grains.Fanout;

/// <summary>Delivers <c>entitlements.changed</c> (provision / deprovision / change) to the fulfillment endpoints, one per version.</summary>
[ImplicitStreamSubscription(FanoutStreams.Fulfillment)]
public sealed class FulfillmentGrain(
    IJournalStore journal,
    OutboundDelivery delivery,
    IOptions<SiloMessagingOptions> messaging,
    TimeProvider time,
    ILogger<FulfillmentGrain> logger)
    : FanoutConsumerGrain(journal, delivery, messaging, time, logger), IFulfillmentGrain
{
    /// <inheritdoc/>
    protected override string Consumer => FanoutStreams.Fulfillment;

    /// <inheritdoc/>
    protected override OutboundTarget Target => OutboundTarget.Fulfillment;

    /// <inheritdoc/>
    protected override bool IsFor(JournalEffects effects) => effects.ForFulfillment;

    /// <inheritdoc/>
    protected override IEnumerable<IFanoutMessage> MessagesOf(string customerId, DateTimeOffset recordedAt, JournalEffects effects)
    {
        foreach (var carried in effects.CarriedOverFulfillment ?? [])
        {
            yield return carried;
        }

        if (effects.Changed)
        {
            yield return FanoutMessages.EntitlementsChangedOf(customerId, recordedAt, effects);
        }
    }

    /// <inheritdoc/>
    protected override (string Type, byte[] Body) Serialize(IFanoutMessage message) =>
        ("entitlements.changed", OutboundJson.Serialize((EntitlementsChanged)message));
}
