using Billing.Grains.Customers;
using Billing.Grains.Events;
using Polly;
using Polly.Retry;

namespace Billing.Gateway.Cluster;

/// <summary>
/// Hands an event to its customer's grain, retrying within one request budget (<see cref="Budget"/>) what the
/// cluster answers while a silo dies or stops: rejections (a silo stopping, just declared dead, a gateway too busy)
/// and timeouts (a call in flight to a silo that died). Retrying is safe because the grain dedupes by event id: a
/// retry of an event that was applied after all answers "duplicate", and a retry queued behind a slow original on
/// the same (non-reentrant) activation runs after it. When the budget is spent the caller answers 503 and Stripe
/// redelivers later. See docs/adr/0005.
/// </summary>
public sealed class CustomerEventDispatcher(IClusterClient cluster)
{
    /// <summary>The longest one webhook waits for the cluster, retries included; Stripe waits far longer.</summary>
    public static readonly TimeSpan Budget = TimeSpan.FromSeconds(8);

    // A retry after a timeout needs time to succeed: below this, answer 503 at once.
    private static readonly TimeSpan MinimumAttempt = TimeSpan.FromMilliseconds(500);

    private readonly ResiliencePipeline _retry = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder()
                .Handle<OrleansMessageRejectionException>() // includes SiloUnavailableException and "Silo stopping"
                .Handle<GatewayTooBusyException>()
                .Handle<TimeoutException>(),
            MaxRetryAttempts = 6,
            Delay = TimeSpan.FromMilliseconds(200),
            MaxDelay = TimeSpan.FromSeconds(1),
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
        })
        .Build();

    /// <summary>Applies <paramref name="stripeEvent"/> to the grain of <paramref name="customerKey"/>.</summary>
    /// <exception cref="TimeoutException">The budget ran out.</exception>
    public async Task<ApplyStatus> ApplyAsync(string customerKey, StripeEvent stripeEvent, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + Budget;
        var grain = cluster.GetGrain<ICustomerGrain>(customerKey);
        return await _retry.ExecuteAsync(
            static async (state, token) =>
            {
                var remaining = state.Deadline - DateTime.UtcNow;
                if (remaining < MinimumAttempt)
                {
                    throw new BudgetExhaustedException();
                }

                // The grain call itself ends at Orleans' ResponseTimeout (5 s); WaitAsync keeps the whole request
                // within the budget. A call left running is harmless: the grain dedupes by event id.
                return await state.Grain.ApplyAsync(state.Event).WaitAsync(remaining, token);
            },
            (Grain: grain, Event: stripeEvent, Deadline: deadline),
            cancellationToken);
    }

    // Not a TimeoutException, so the retry strategy stops at once.
    private sealed class BudgetExhaustedException() : Exception("the request budget for the cluster ran out");
}
