using System.Collections.Immutable;
using Billing.Grains.Anomalies.Store;
using Orleans.Concurrency;

namespace Billing.Grains.Anomalies;

/// <summary>Operators' reads and moves of anomalies: any silo answers from the store.</summary>
[StatelessWorker]
public sealed class AnomalyQueriesGrain(AnomalyStore store, TimeProvider time) : Grain, IAnomalyQueriesGrain
{
    /// <inheritdoc/>
    public Task<ImmutableArray<Anomaly>> ListAsync(int limit, AnomalyState? state) =>
        store.ListAsync(Math.Clamp(limit, 1, AnomalyStore.MaxLimit), state);

    /// <inheritdoc/>
    public Task<Anomaly?> GetAsync(string id) => store.GetAsync(id);

    /// <inheritdoc/>
    public Task<Anomaly?> AcknowledgeAsync(string id) => store.TransitionAsync(id, AnomalyState.Acknowledged, time.GetUtcNow(), resolvedBy: null);

    /// <inheritdoc/>
    public async Task<Anomaly?> ResolveAsync(string id)
    {
        var resolved = await store.TransitionAsync(id, AnomalyState.Resolved, time.GetUtcNow(), AnomalyResolvers.Operator);
        if (resolved is { State: AnomalyState.Resolved })
        {
            // The account's detector learns again from now on; it also finds out by itself at its next reload.
            await GrainFactory.GetGrain<IAnomalyDetectorGrain>(resolved.Scope).AnomalyResolvedAsync(resolved.Id);
        }

        return resolved;
    }
}
