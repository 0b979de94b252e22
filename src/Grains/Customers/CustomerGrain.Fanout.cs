using Billing.Grains.Fanout;
using Microsoft.Extensions.Logging;
using Orleans.Streams;

namespace Billing.Grains.Customers;

/// <summary>
/// Publishing stored entries to the consumers. Each consumer gets, on its own stream, the entries that have
/// something for it, with the version of the previous such entry: a consumer that sees a gap (a stream item lost
/// with a silo, a publish that failed here) reads it from the journal, and the journal's sweeper pokes consumers that
/// fell behind with nothing arriving after. So publishing is best effort, never fails the call, and is not waited
/// for: the webhook is answered once the entry is journaled, while the items travel. See ADR 0008.
/// </summary>
public sealed partial class CustomerGrain
{
    // Started, not awaited: its continuations run on this activation between turns; failures are only logged.
    private void Publish(List<AppliedEntry> applied)
    {
        if (applied.Any(a => a.Entry.Effects.ForFulfillment || a.Entry.Effects.ForNotifications))
        {
            _ = PublishAsync(applied);
        }
    }

    private async Task PublishAsync(List<AppliedEntry> applied)
    {
        try
        {
            var provider = this.GetStreamProvider(FanoutStreams.ProviderName);
            foreach (var (entry, previousFulfillment, previousNotification) in applied)
            {
                if (entry.Effects.ForFulfillment)
                {
                    await provider.GetStream<FanoutItem>(FanoutStreams.Fulfillment, CustomerId)
                        .OnNextAsync(FanoutItem.Of(entry, previousFulfillment));
                }

                if (entry.Effects.ForNotifications)
                {
                    await provider.GetStream<FanoutItem>(FanoutStreams.Notifications, CustomerId)
                        .OnNextAsync(FanoutItem.Of(entry, previousNotification));
                }
            }
        }
        catch (Exception exception)
        {
            LogPublishFailed(exception, CustomerId);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not publish the fan-out of customer {CustomerId}; its consumers catch up from the journal")]
    private partial void LogPublishFailed(Exception exception, string customerId);
}
