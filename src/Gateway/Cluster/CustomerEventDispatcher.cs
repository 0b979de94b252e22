using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Diagnostics;
using Billing.Gateway.Caching;
using Billing.Grains.Customers;
using Billing.Grains.Events;
using Billing.ServiceDefaults;
using Orleans.Runtime.Messaging;
using Orleans.Storage;
using Polly;
using Polly.Retry;

namespace Billing.Gateway.Cluster;

/// <summary>
/// Hands events to their customer's grain. One call per customer is in flight at a time; events of that customer
/// arriving meanwhile wait and then go together, in arrival order, in one call that the grain stores with one write
/// (docs/adr/0006): a busy customer costs one write per round trip instead of one per event, and other customers
/// are not held up behind it. Each call is retried within one request budget (<see cref="Budget"/>), as often as it
/// allows, when the cluster answers while a silo dies or stops: rejections (a silo stopping, just declared dead, a
/// gateway too busy), failed connections (to the gateway silo of a silo that died) and timeouts (a call in flight to
/// a silo that died). Retrying is safe because the grain dedupes by event id: a
/// retry of an event that was applied after all answers "duplicate". When the budget is spent the caller answers
/// 503 and Stripe redelivers later. See docs/adr/0005.
/// </summary>
public sealed class CustomerEventDispatcher(IClusterClient cluster, EntitlementsCache entitlements, BillingTelemetry telemetry)
{
    /// <summary>The longest one webhook waits for the cluster, retries included; Stripe waits far longer.</summary>
    public static readonly TimeSpan Budget = TimeSpan.FromSeconds(8);

    // Bounds one grain call (and its write): a customer with more waiting sends the rest in the next call.
    private const int MaxEventsPerCall = 64;

    // A retry after a timeout needs time to succeed: below this, answer 503 at once.
    private static readonly TimeSpan MinimumAttempt = TimeSpan.FromMilliseconds(500);

    private readonly ConcurrentDictionary<string, CustomerQueue> _queues = new(StringComparer.Ordinal);

    private readonly ResiliencePipeline _retry = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder()
                .Handle<OrleansMessageRejectionException>() // includes SiloUnavailableException and "Silo stopping"
                // Thrown as is (not as a rejection) when the client cannot connect to the gateway silo it picked,
                // e.g. one killed a moment ago: the message was never sent.
                .Handle<ConnectionFailedException>()
                .Handle<GatewayTooBusyException>()
                .Handle<TimeoutException>()
                // Another activation of the customer wrote first (two can overlap for a moment while a stopping silo
                // hands its grains over). Nothing of the call is stored and the grain reloads: the retry applies.
                .Handle<InconsistentStateException>(),
            // Bounded by the budget, not by a count: a call through the gateway of a silo that just died fails at
            // once ("Unable to connect") until the client drops that gateway from its list (≈2 s to be declared dead
            // plus up to GatewayListRefreshPeriod, 5 s); six quick tries ran out within ≈4 s and answered 503.
            MaxRetryAttempts = int.MaxValue,
            Delay = TimeSpan.FromMilliseconds(200),
            MaxDelay = TimeSpan.FromSeconds(1),
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
        })
        .Build();

    /// <summary>Applies <paramref name="stripeEvent"/> to the grain of <paramref name="customerKey"/>.</summary>
    /// <exception cref="TimeoutException">The budget ran out.</exception>
    public Task<ApplyStatus> ApplyAsync(string customerKey, StripeEvent stripeEvent, CancellationToken cancellationToken)
    {
        var waiting = new WaitingEvent(stripeEvent, Activity.Current?.Context ?? default, DateTime.UtcNow + Budget);
        while (true)
        {
            var queue = _queues.GetOrAdd(customerKey, static key => new CustomerQueue(key));
            bool startSending;
            lock (queue)
            {
                if (queue.Retired)
                {
                    continue; // emptied and removed just now: a new queue takes its place
                }

                queue.Waiting.Enqueue(waiting);
                startSending = !queue.Sending;
                queue.Sending = true;
            }

            if (startSending)
            {
                // Begins on this thread (no extra hop) but does not carry this request's context: the loop may go
                // on serving later requests after this one has been answered.
                using (ExecutionContext.SuppressFlow())
                {
                    _ = SendAllAsync(queue);
                }
            }

            return waiting.Answer.Task.WaitAsync(cancellationToken);
        }
    }

    // Sends what waits for one customer, one call at a time, until nothing waits; then retires the queue.
    private async Task SendAllAsync(CustomerQueue queue)
    {
        while (true)
        {
            WaitingEvent[] batch;
            lock (queue)
            {
                if (queue.Waiting.Count == 0)
                {
                    queue.Sending = false;
                    queue.Retired = true;
                    _queues.TryRemove(KeyValuePair.Create(queue.CustomerKey, queue));
                    return;
                }

                batch = new WaitingEvent[Math.Min(queue.Waiting.Count, MaxEventsPerCall)];
                for (var i = 0; i < batch.Length; i++)
                {
                    batch[i] = queue.Waiting.Dequeue();
                }
            }

            await SendAsync(queue.CustomerKey, batch);
        }
    }

    private async Task SendAsync(string customerKey, WaitingEvent[] taken)
    {
        // An event that waited out its budget behind a slow call is answered 503 now rather than shortening the
        // budget of the call for everyone else.
        var now = DateTime.UtcNow;
        foreach (var late in taken.Where(w => w.Deadline - now < MinimumAttempt))
        {
            late.Answer.TrySetException(new BudgetExhaustedException());
        }

        var batch = taken.Where(w => w.Deadline - now >= MinimumAttempt).ToArray();
        if (batch.Length == 0)
        {
            return;
        }

        telemetry.ApplyBatchSize.Record(batch.Length);

        // The call belongs to the trace of the first webhook in it; the others are linked.
        using var activity = telemetry.ActivitySource.StartActivity("billing.apply", ActivityKind.Internal, batch[0].Trace,
            links: batch.Length == 1 ? null : batch.Skip(1).Select(w => new ActivityLink(w.Trace)));
        activity?.SetTag("billing.batch.size", batch.Length);
        try
        {
            var events = batch.Select(static w => w.Event).ToImmutableArray();
            var deadline = batch.Min(w => w.Deadline);
            var result = await _retry.ExecuteAsync(
                static async (state, token) =>
                {
                    var remaining = state.Deadline - DateTime.UtcNow;
                    if (remaining < MinimumAttempt)
                    {
                        throw new BudgetExhaustedException();
                    }

                    // The grain call itself ends at Orleans' ResponseTimeout (5 s); WaitAsync keeps the whole request
                    // within the budget. A call left running is harmless: the grain dedupes by event id.
                    return await state.Grain.ApplyAllAsync(state.Events).WaitAsync(remaining, token);
                },
                (Grain: cluster.GetGrain<ICustomerGrain>(customerKey), Events: events, Deadline: deadline),
                CancellationToken.None);

            entitlements.Offer(result.Entitlements);
            for (var i = 0; i < batch.Length; i++)
            {
                batch[i].Answer.TrySetResult(result.Statuses[i]);
            }
        }
        catch (Exception exception)
        {
            // Nothing of this call is stored: every event in it is answered 503, and Stripe delivers each again.
            activity?.SetStatus(ActivityStatusCode.Error, exception.GetType().Name);
            foreach (var failed in batch)
            {
                failed.Answer.TrySetException(exception);
            }
        }
    }

    private sealed record WaitingEvent(StripeEvent Event, ActivityContext Trace, DateTime Deadline)
    {
        public TaskCompletionSource<ApplyStatus> Answer { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class CustomerQueue(string customerKey)
    {
        public string CustomerKey { get; } = customerKey;

        public Queue<WaitingEvent> Waiting { get; } = new();

        public bool Sending { get; set; }

        public bool Retired { get; set; }
    }

    // Not a TimeoutException, so the retry strategy stops at once.
    private sealed class BudgetExhaustedException() : Exception("the request budget for the cluster ran out");
}
