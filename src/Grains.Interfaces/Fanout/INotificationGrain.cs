namespace Billing.Grains.Fanout;

/// <summary>
/// Consumes one customer's notification stream (implicit subscription, key = customer key) and delivers each
/// <c>notification.*</c> once in effect to the notification endpoints.
/// </summary>
public interface INotificationGrain : IFanoutConsumer;
