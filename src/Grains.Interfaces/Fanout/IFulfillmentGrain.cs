using Orleans.Concurrency;

namespace Billing.Grains.Fanout;

/// <summary>
/// Consumes one customer's <see cref="EntitlementsChanged"/> stream (implicit subscription, key = customer key) and
/// delivers each message once in effect to the fulfillment endpoints.
/// </summary>
public interface IFulfillmentGrain : IGrainWithStringKey
{
    /// <summary>Whether the message with <paramref name="messageId"/> has been handled (delivered or dead-lettered).</summary>
    [ReadOnly]
    Task<bool> HasHandledAsync(string messageId);
}
