using Orleans.Runtime;

namespace Billing.Silo.Tests.Migrations;

/// <summary>A grain that touches every ADO.NET provider: two persistent states and a reminder.</summary>
public interface IMigrationProbeGrain : IGrainWithStringKey
{
    Task<ProbeSnapshot> GetAsync();

    Task WriteAsync(string note);

    Task ClearAsync();

    Task WriteScratchAsync(string note);

    Task ClearScratchAsync();

    Task RegisterReminderAsync(TimeSpan dueTime, TimeSpan period);

    Task<bool> UnregisterReminderAsync();

    Task<int> GetReminderTicksAsync();

    Task DeactivateAsync();
}

[GenerateSerializer]
public sealed record ProbeSnapshot(
    [property: Id(0)] Guid ActivationId,
    [property: Id(1)] string? Note,
    [property: Id(2)] int Writes,
    [property: Id(3)] bool RecordExists,
    [property: Id(4)] string? ETag);

[GenerateSerializer]
public sealed class ProbeState
{
    [Id(0)]
    public string? Note { get; set; }

    [Id(1)]
    public int Writes { get; set; }
}

/// <summary>
/// "probe" lives in storage provider "test" (clear keeps a tombstone row); "scratch" in "test-delete"
/// (DeleteStateOnClear = true: clear deletes the row).
/// </summary>
public sealed class MigrationProbeGrain(
    [PersistentState(MigrationProbeGrain.StateName, "test")] IPersistentState<ProbeState> probe,
    [PersistentState(MigrationProbeGrain.ScratchStateName, "test-delete")] IPersistentState<ProbeState> scratch)
    : Grain, IMigrationProbeGrain, IRemindable
{
    public const string StateName = "migration-probe";
    public const string ScratchStateName = "migration-probe-scratch";
    public const string ReminderName = "probe";

    private readonly Guid _activationId = Guid.NewGuid();
    private int _reminderTicks;

    public Task<ProbeSnapshot> GetAsync() =>
        Task.FromResult(new ProbeSnapshot(_activationId, probe.State.Note, probe.State.Writes, probe.RecordExists, probe.Etag));

    public Task WriteAsync(string note)
    {
        probe.State.Note = note;
        probe.State.Writes++;
        return probe.WriteStateAsync();
    }

    public Task ClearAsync() => probe.ClearStateAsync();

    public Task WriteScratchAsync(string note)
    {
        scratch.State.Note = note;
        scratch.State.Writes++;
        return scratch.WriteStateAsync();
    }

    public Task ClearScratchAsync() => scratch.ClearStateAsync();

    public Task RegisterReminderAsync(TimeSpan dueTime, TimeSpan period) =>
        this.RegisterOrUpdateReminder(ReminderName, dueTime, period);

    public async Task<bool> UnregisterReminderAsync()
    {
        var reminder = await this.GetReminder(ReminderName);
        if (reminder is null)
        {
            return false;
        }

        await this.UnregisterReminder(reminder);
        return true;
    }

    public Task<int> GetReminderTicksAsync() => Task.FromResult(_reminderTicks);

    public Task DeactivateAsync()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        _reminderTicks++;
        return Task.CompletedTask;
    }
}
