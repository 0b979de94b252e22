using System.Collections.Immutable;
using Billing.Grains.Recovery;

namespace Billing.Recovery.Store;

/// <summary>A job with what only its runner needs: the durable cursor and the revision that fences writers.</summary>
/// <param name="Job">The job as operators see it.</param>
/// <param name="Cursor">Where to resume (JSON, the job's own shape); null before the first step.</param>
/// <param name="Revision">Grows by one with each save; a save from an older revision is refused.</param>
public sealed record SyncJobRecord(SyncJob Job, string? Cursor, long Revision);

/// <summary>
/// Where recovery keeps its jobs (with their cursors), the drifts reconciliation found, and small named values (the
/// Events API high-water mark per account): PostgreSQL in a deployment, memory in development.
/// </summary>
public abstract class SyncStore
{
    /// <summary>How long jobs and drifts are listed and kept.</summary>
    public static readonly TimeSpan Kept = TimeSpan.FromDays(7);

    /// <summary>Stores a new running job; false (and nothing stored) when one of its kind is running already.</summary>
    public abstract Task<bool> TryStartAsync(SyncJobRecord record, CancellationToken cancellationToken = default);

    /// <summary>The running job of <paramref name="kind"/>, if any.</summary>
    public abstract Task<SyncJobRecord?> FindRunningAsync(string kind, CancellationToken cancellationToken = default);

    /// <summary>
    /// Saves <paramref name="record"/> over revision <c>record.Revision</c> and returns it at the next revision; null when
    /// the stored revision is another (a newer runner took over: this one must stop).
    /// </summary>
    public abstract Task<SyncJobRecord?> SaveAsync(SyncJobRecord record, CancellationToken cancellationToken = default);

    /// <summary>Jobs started since <paramref name="since"/>, newest first.</summary>
    public abstract Task<ImmutableArray<SyncJob>> ListJobsAsync(DateTimeOffset since, int limit, CancellationToken cancellationToken = default);

    /// <summary>Records drifts found by <paramref name="jobId"/>.</summary>
    public abstract Task AddDriftsAsync(string jobId, IReadOnlyCollection<DriftRecord> drifts, CancellationToken cancellationToken = default);

    /// <summary>Drifts detected since <paramref name="since"/>, newest first.</summary>
    public abstract Task<ImmutableArray<DriftRecord>> ListDriftsAsync(DateTimeOffset since, int limit, CancellationToken cancellationToken = default);

    /// <summary>The value named <paramref name="name"/> (JSON), if set.</summary>
    public abstract Task<string?> GetValueAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Sets the value named <paramref name="name"/> (JSON).</summary>
    public abstract Task SetValueAsync(string name, string json, CancellationToken cancellationToken = default);

    /// <summary>Removes finished jobs and drifts older than <paramref name="before"/>.</summary>
    public abstract Task PruneAsync(DateTimeOffset before, CancellationToken cancellationToken = default);
}
