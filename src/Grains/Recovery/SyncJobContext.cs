using System.Text.Json;
using Billing.Grains.Recovery;
using Billing.Recovery.Store;

namespace Billing.Grains.Recovery;

/// <summary>
/// What a running job sees of itself: its id, its cursor, and a way to make progress durable. Each save is fenced by
/// the job's revision: when another activation took the job over (a handover), the save throws
/// <see cref="JobTakenOverException"/> and this runner stops.
/// </summary>
public sealed class SyncJobContext(SyncStore store, SyncJobRecord record, TimeProvider time)
{
    private SyncJobRecord _record = record;

    /// <summary>The job's id (snapshot entries' event ids derive from it).</summary>
    public string JobId => _record.Job.Id;

    /// <summary>The job as stored last.</summary>
    public SyncJob Job => _record.Job;

    /// <summary>The time source.</summary>
    public TimeProvider Time => time;

    /// <summary>The cursor as <typeparamref name="T"/>, or null before the first save.</summary>
    public T? Cursor<T>(System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) where T : class =>
        _record.Cursor is { } json ? JsonSerializer.Deserialize(json, type) : null;

    /// <summary>Adds <paramref name="counts"/>, sets the cursor and progress, and stores it all.</summary>
    public Task SaveAsync<T>(T cursor, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, SyncCounts counts, double? progress,
        string? lastError = null, CancellationToken cancellationToken = default) =>
        SaveAsync(_record with
        {
            Job = _record.Job with { Counts = _record.Job.Counts + counts, Progress = progress ?? _record.Job.Progress, LastError = lastError ?? _record.Job.LastError },
            Cursor = JsonSerializer.Serialize(cursor, type),
        }, cancellationToken);

    /// <summary>Records a problem the job works around (it goes on).</summary>
    public Task ReportAsync(string lastError, CancellationToken cancellationToken = default) =>
        SaveAsync(_record with { Job = _record.Job with { LastError = lastError } }, cancellationToken);

    /// <summary>Ends the job.</summary>
    public Task FinishAsync(string state, string? lastError, CancellationToken cancellationToken = default) =>
        SaveAsync(_record with
        {
            Job = _record.Job with
            {
                State = state,
                FinishedAt = time.GetUtcNow(),
                Progress = state == SyncStates.Done ? 1 : _record.Job.Progress,
                LastError = lastError ?? _record.Job.LastError,
            },
        }, cancellationToken);

    private async Task SaveAsync(SyncJobRecord next, CancellationToken cancellationToken)
    {
        _record = await store.SaveAsync(next, cancellationToken) ?? throw new JobTakenOverException(next.Job.Id);
    }
}

/// <summary>Another runner saved the job since this one last did: this one stops.</summary>
public sealed class JobTakenOverException(string jobId) : Exception($"recovery job {jobId} was taken over by another runner");

/// <summary>One kind of recovery job's work, resumable from its cursor.</summary>
public interface ISyncRun
{
    /// <summary>Runs (or resumes) the job to its end; progress is saved through <paramref name="context"/>.</summary>
    Task RunAsync(SyncJobContext context, CancellationToken cancellationToken);
}
