using Billing.Grains.Fanout;
using Microsoft.Extensions.Logging;
using Orleans.Streams;

namespace Billing.Grains.Customers;

/// <summary>
/// The fan-out outbox. Messages are written in the same state row as the change that caused them, published on
/// memory streams after the write, and kept until their consumer acknowledges them. A durable reminder republishes
/// whatever is still unacknowledged (a silo crash loses in-flight stream items), so every message is delivered
/// at least once; consumers recognise message ids, so each has its effect once. See docs/adr/0003.
/// </summary>
public sealed partial class CustomerGrain
{
    /// <summary>The reminder that redelivers unacknowledged messages.</summary>
    internal const string OutboxReminder = "outbox-redelivery";

    // Acknowledgements only shrink the outbox: they ride along with the next write instead of costing one each.
    private bool _acknowledgementsToStore;

    /// <inheritdoc/>
    public async Task AcknowledgeAsync(string messageId)
    {
        await EnsureDurableStateAsync();
        var removed = state.State.PendingFulfillment.RemoveAll(m => m.Id == messageId) +
                      state.State.PendingNotifications.RemoveAll(m => m.Id == messageId);
        _acknowledgementsToStore |= removed > 0;
    }

    /// <inheritdoc/>
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_acknowledgementsToStore && !_stateNotDurable)
        {
            try
            {
                await state.WriteStateAsync(cancellationToken);
            }
            catch (Exception exception)
            {
                // Harmless: the outbox redelivers what it still holds and consumers recognise it.
                LogAcknowledgementsNotStored(exception, CustomerId);
            }
        }

        await base.OnDeactivateAsync(reason, cancellationToken);
    }

    private List<IFanoutMessage> Enqueue(List<IFanoutMessage> messages)
    {
        foreach (var message in messages)
        {
            switch (message)
            {
                case EntitlementsChanged changed:
                    state.State.PendingFulfillment.Add(changed);
                    break;
                case CustomerNotification notification:
                    state.State.PendingNotifications.Add(notification);
                    break;
            }
        }

        return messages;
    }

    // Registered before the write that fills the outbox, and kept while the customer is busy: one reminder
    // write per burst of changes rather than one per change.
    private async Task EnsureOutboxReminderAsync()
    {
        var pending = state.State.PendingFulfillment.Count + state.State.PendingNotifications.Count;
        if (pending > 0 && !state.State.OutboxReminderRegistered)
        {
            var period = options.Value.Outbox.RedeliveryInterval;
            await this.RegisterOrUpdateReminder(OutboxReminder, period, period);
            state.State.OutboxReminderRegistered = true;
        }
    }

    private async Task OnOutboxReminderAsync()
    {
        var pending = state.State.PendingFulfillment.Count + state.State.PendingNotifications.Count;
        if (pending == 0)
        {
            state.State.OutboxReminderRegistered = false;
            await WriteStateAsync();
            if (await this.GetReminder(OutboxReminder) is { } reminder)
            {
                await this.UnregisterReminder(reminder);
            }

            return;
        }

        if (_acknowledgementsToStore)
        {
            await WriteStateAsync();
        }

        LogRedelivering(CustomerId, pending);
        await PublishAsync([.. state.State.PendingFulfillment, .. state.State.PendingNotifications]);
    }

    // Best effort: the change is already stored, so a publishing failure must not fail the caller; the
    // outbox reminder publishes again.
    private async Task PublishAsync(List<IFanoutMessage> messages)
    {
        if (messages.Count == 0)
        {
            return;
        }

        try
        {
            var provider = this.GetStreamProvider(FanoutStreams.ProviderName);
            foreach (var message in messages)
            {
                switch (message)
                {
                    case EntitlementsChanged changed:
                        await provider.GetStream<EntitlementsChanged>(FanoutStreams.Fulfillment, CustomerId).OnNextAsync(changed);
                        break;
                    case CustomerNotification notification:
                        await provider.GetStream<CustomerNotification>(FanoutStreams.Notifications, CustomerId).OnNextAsync(notification);
                        break;
                }
            }
        }
        catch (Exception exception)
        {
            LogPublishFailed(exception, CustomerId);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Redelivering {Pending} unacknowledged message(s) of customer {CustomerId}")]
    private partial void LogRedelivering(string customerId, int pending);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not publish the fan-out of customer {CustomerId}; the outbox will redeliver it")]
    private partial void LogPublishFailed(Exception exception, string customerId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not store acknowledgements of customer {CustomerId} on deactivation")]
    private partial void LogAcknowledgementsNotStored(Exception exception, string customerId);
}
