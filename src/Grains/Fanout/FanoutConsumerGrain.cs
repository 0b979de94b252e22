using Billing.Grains.Customers;
using Billing.Outbound;
using Microsoft.Extensions.Logging;
using Orleans.Streams;
using Orleans.Streams.Core;

namespace Billing.Grains.Fanout;

/// <summary>
/// What the fulfillment and notification grains share: consume one customer's stream, deliver each message once in
/// effect, and acknowledge it to the customer's outbox. A message is acknowledged only when it is handled
/// (delivered, dead-lettered, or nothing is configured); a transient failure leaves it in the outbox, which
/// redelivers it later. Messages already handled are acknowledged again without a second delivery.
/// </summary>
public abstract partial class FanoutConsumerGrain<TMessage>(
    IPersistentState<ConsumerState> state,
    OutboundDelivery delivery,
    TimeProvider time,
    ILogger logger) : Grain, IAsyncObserver<TMessage>, IStreamSubscriptionObserver
    where TMessage : IFanoutMessage
{
    private static readonly TimeSpan HandledWindow = TimeSpan.FromDays(30);

    /// <summary>Where this consumer delivers.</summary>
    protected abstract OutboundTarget Target { get; }

    /// <summary>Whether the message has been handled.</summary>
    public Task<bool> HasHandledAsync(string messageId) => Task.FromResult(state.State.Handled.ContainsKey(messageId));

    /// <inheritdoc/>
    public async Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory)
    {
        ArgumentNullException.ThrowIfNull(handleFactory);
        await handleFactory.Create<TMessage>().ResumeAsync(this);
    }

    /// <inheritdoc/>
    public async Task OnNextAsync(TMessage item, StreamSequenceToken? token = null)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (!state.State.Handled.ContainsKey(item.Id))
        {
            var (type, body) = Serialize(item);
            var outcome = await delivery.DeliverAsync(Target, item.Id, type, item.CustomerId, body);
            if (outcome == DeliveryOutcome.RetryLater)
            {
                LogRetryLater(item.Id, Target);
                return;
            }

            var now = time.GetUtcNow();
            state.State.Handled[item.Id] = now.ToUnixTimeSeconds();
            Prune(now);
            await state.WriteStateAsync();
            LogHandled(item.Id, type, outcome);
        }

        await GrainFactory.GetGrain<ICustomerGrain>(item.CustomerId).AcknowledgeAsync(item.Id);
    }

    /// <inheritdoc/>
    public Task OnCompletedAsync() => Task.CompletedTask;

    /// <inheritdoc/>
    public Task OnErrorAsync(Exception ex) => Task.CompletedTask;

    /// <summary>The message's contract type and JSON body.</summary>
    protected abstract (string Type, byte[] Body) Serialize(TMessage message);

    private void Prune(DateTimeOffset now)
    {
        var cutoff = (now - HandledWindow).ToUnixTimeSeconds();
        foreach (var (id, handledAt) in state.State.Handled)
        {
            if (handledAt < cutoff)
            {
                state.State.Handled.Remove(id);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Handled message {MessageId} ({MessageType}): {Outcome}")]
    private partial void LogHandled(string messageId, string messageType, DeliveryOutcome outcome);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {MessageId} to {Target} could not be delivered now; the outbox will redeliver it")]
    private partial void LogRetryLater(string messageId, OutboundTarget target);
}
