using System.Collections.Immutable;
using Billing.Grains.Recovery;

namespace Billing.Recovery.Store;

/// <summary>The store of a silo without a database (development): gone with the process, single-silo.</summary>
public sealed class InMemorySyncStore : SyncStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, SyncJobRecord> _jobs = new(StringComparer.Ordinal);
    private readonly List<DriftRecord> _drifts = [];
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    /// <inheritdoc/>
    public override Task<bool> TryStartAsync(SyncJobRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        lock (_lock)
        {
            if (_jobs.Values.Any(j => j.Job.Kind == record.Job.Kind && j.Job.State == SyncStates.Running))
            {
                return Task.FromResult(false);
            }

            _jobs[record.Job.Id] = record;
            return Task.FromResult(true);
        }
    }

    /// <inheritdoc/>
    public override Task<SyncJobRecord?> FindRunningAsync(string kind, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(_jobs.Values.FirstOrDefault(j => j.Job.Kind == kind && j.Job.State == SyncStates.Running));
        }
    }

    /// <inheritdoc/>
    public override Task<SyncJobRecord?> SaveAsync(SyncJobRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        lock (_lock)
        {
            if (!_jobs.TryGetValue(record.Job.Id, out var stored) || stored.Revision != record.Revision)
            {
                return Task.FromResult<SyncJobRecord?>(null);
            }

            var saved = record with { Revision = record.Revision + 1 };
            _jobs[record.Job.Id] = saved;
            return Task.FromResult<SyncJobRecord?>(saved);
        }
    }

    /// <inheritdoc/>
    public override Task<ImmutableArray<SyncJob>> ListJobsAsync(DateTimeOffset since, int limit, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(_jobs.Values.Select(j => j.Job).Where(j => j.StartedAt >= since)
                .OrderByDescending(j => j.StartedAt).ThenByDescending(j => j.Id, StringComparer.Ordinal).Take(limit).ToImmutableArray());
        }
    }

    /// <inheritdoc/>
    public override Task AddDriftsAsync(string jobId, IReadOnlyCollection<DriftRecord> drifts, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            _drifts.AddRange(drifts);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public override Task<ImmutableArray<DriftRecord>> ListDriftsAsync(DateTimeOffset since, int limit, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(Enumerable.Range(0, _drifts.Count).Reverse().Select(i => _drifts[i])
                .Where(d => d.DetectedAt >= since).Take(limit).ToImmutableArray());
        }
    }

    /// <inheritdoc/>
    public override Task<string?> GetValueAsync(string name, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(_values.GetValueOrDefault(name));
        }
    }

    /// <inheritdoc/>
    public override Task SetValueAsync(string name, string json, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            _values[name] = json;
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public override Task PruneAsync(DateTimeOffset before, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            foreach (var id in _jobs.Values.Where(j => j.Job.State != SyncStates.Running && j.Job.StartedAt < before).Select(j => j.Job.Id).ToList())
            {
                _jobs.Remove(id);
            }

            _drifts.RemoveAll(d => d.DetectedAt < before);
        }

        return Task.CompletedTask;
    }
}
