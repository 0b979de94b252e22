using Billing.Outbound;
using Microsoft.Extensions.Logging;

namespace Billing.Grains.Fanout;

/// <summary>Delivers <c>entitlements.changed</c> (provision / deprovision / change) to the fulfillment endpoints.</summary>
[ImplicitStreamSubscription(FanoutStreams.Fulfillment)]
public sealed class FulfillmentGrain(
    [PersistentState(stateName: "fulfillment", storageName: Constants.StorageName)] IPersistentState<ConsumerState> state,
    OutboundDelivery delivery,
    TimeProvider time,
    ILogger<FulfillmentGrain> logger)
    : FanoutConsumerGrain<EntitlementsChanged>(state, delivery, time, logger), IFulfillmentGrain
{
    /// <inheritdoc/>
    protected override OutboundTarget Target => OutboundTarget.Fulfillment;

    /// <inheritdoc/>
    protected override (string Type, byte[] Body) Serialize(EntitlementsChanged message) =>
        ("entitlements.changed", OutboundJson.Serialize(message));
}
