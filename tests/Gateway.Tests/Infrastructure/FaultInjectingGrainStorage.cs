using Orleans.Storage;

namespace Billing.Gateway.Tests.Infrastructure;

/// <summary>The real ADO.NET storage, with writes that fail or lag on demand (<see cref="StorageFaults"/>).</summary>
public sealed class FaultInjectingGrainStorage(IGrainStorage inner, StorageFaults faults) : IGrainStorage
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ReadStateAsync(stateName, grainId, grainState);

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (faults.WriteDelay is { Ticks: > 0 } delay)
        {
            await Task.Delay(delay);
        }

        if (faults.FailWrites)
        {
            throw new InvalidOperationException("Injected storage failure: the database is unavailable.");
        }

        if (faults.TakeConflict())
        {
            throw new InconsistentStateException("Injected version conflict: another activation wrote first.");
        }

        await inner.WriteStateAsync(stateName, grainId, grainState);
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ClearStateAsync(stateName, grainId, grainState);
}
