namespace Billing.Grains.Fanout;

/// <summary>
/// Consumes one customer's fulfillment stream (implicit subscription, key = customer key) and delivers
/// <c>entitlements.changed</c> once in effect per version to the fulfillment endpoints.
/// </summary>
public interface IFulfillmentGrain : IFanoutConsumer;
