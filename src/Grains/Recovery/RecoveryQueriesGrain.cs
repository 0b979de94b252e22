using System.Text.Json;
using Billing.Recovery.Store;
using Orleans.Concurrency;

namespace Billing.Grains.Recovery;

/// <summary>Operators' reads of recovery: any silo answers from the store.</summary>
[StatelessWorker]
public sealed class RecoveryQueriesGrain(SyncStore store, TimeProvider time) : Grain, IRecoveryQueriesGrain
{
    private const int Limit = 1_000;

    /// <inheritdoc/>
    public async Task<System.Collections.Immutable.ImmutableArray<SyncJob>> ListJobsAsync() =>
        await store.ListJobsAsync(time.GetUtcNow() - SyncStore.Kept, Limit);

    /// <inheritdoc/>
    public async Task<DriftReport> GetDriftAsync()
    {
        var latest = await store.GetValueAsync(ReconcileRun.LatestName) is { } json
            ? JsonSerializer.Deserialize(json, ReconcileCursorJson.Default.ReconcileSummary)
            : null;
        var drifts = await store.ListDriftsAsync(time.GetUtcNow() - SyncStore.Kept, Limit);
        return new DriftReport(latest?.CheckedAt, latest?.CustomersChecked ?? 0, drifts);
    }
}
