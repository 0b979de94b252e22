using Billing.Grains.Customers;
using Billing.Grains.Events;
using Polly;
using Polly.Retry;

namespace Billing.Gateway.Cluster;

/// <summary>
/// Hands an event to its customer's grain. Retries only calls the cluster refused before running them (a silo
/// stopping or just declared dead), where a retry cannot apply anything twice; a timeout is not retried here,
/// because the call may still complete: Stripe's redelivery, deduplicated by the grain, covers it.
/// </summary>
public sealed class CustomerEventDispatcher(IClusterClient cluster)
{
    private readonly ResiliencePipeline _retry = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<OrleansMessageRejectionException>().Handle<SiloUnavailableException>(),
            MaxRetryAttempts = 4,
            Delay = TimeSpan.FromMilliseconds(200),
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
        })
        .Build();

    /// <summary>Applies <paramref name="stripeEvent"/> to the grain of <paramref name="customerKey"/>.</summary>
    public async Task<ApplyStatus> ApplyAsync(string customerKey, StripeEvent stripeEvent, CancellationToken cancellationToken) =>
        await _retry.ExecuteAsync(
            static async (state, _) => await state.Grain.ApplyAsync(state.Event),
            (Grain: cluster.GetGrain<ICustomerGrain>(customerKey), Event: stripeEvent),
            cancellationToken);
}
