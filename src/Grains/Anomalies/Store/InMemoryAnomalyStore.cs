using System.Collections.Concurrent;
using System.Collections.Immutable;

namespace Billing.Grains.Anomalies.Store;

/// <summary>Anomalies in this silo's memory: development without <c>ConnectionStrings:Billing</c>.</summary>
public sealed class InMemoryAnomalyStore : AnomalyStore
{
    private readonly ConcurrentDictionary<string, Anomaly> _anomalies = new(StringComparer.Ordinal);

    /// <inheritdoc/>
    public override Task<bool> AddAsync(Anomaly anomaly, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(anomaly);
        return Task.FromResult(_anomalies.TryAdd(anomaly.Id, anomaly));
    }

    /// <inheritdoc/>
    public override Task<Anomaly?> GetAsync(string id, CancellationToken cancellationToken = default) =>
        Task.FromResult(_anomalies.GetValueOrDefault(id));

    /// <inheritdoc/>
    public override Task<ImmutableArray<Anomaly>> ListAsync(int limit, AnomalyState? state, CancellationToken cancellationToken = default) =>
        Task.FromResult(_anomalies.Values
            .Where(anomaly => state is null || anomaly.State == state)
            .OrderByDescending(anomaly => anomaly.DetectedAt).ThenByDescending(anomaly => anomaly.Id, StringComparer.Ordinal)
            .Take(limit)
            .ToImmutableArray());

    /// <inheritdoc/>
    public override Task<ImmutableArray<Anomaly>> ListPendingAsync(string scope, CancellationToken cancellationToken = default) =>
        Task.FromResult(_anomalies.Values
            .Where(anomaly => anomaly.Scope == scope && (anomaly.State != AnomalyState.Resolved || anomaly.DeliveredAt is null))
            .OrderBy(anomaly => anomaly.DetectedAt)
            .ToImmutableArray());

    /// <inheritdoc/>
    public override Task<Anomaly?> TransitionAsync(string id, AnomalyState state, DateTimeOffset at, string? resolvedBy,
        CancellationToken cancellationToken = default)
    {
        while (_anomalies.TryGetValue(id, out var current))
        {
            var next = Moved(current, state, at, resolvedBy);
            if (ReferenceEquals(next, current) || _anomalies.TryUpdate(id, next, current))
            {
                return Task.FromResult<Anomaly?>(next);
            }
        }

        return Task.FromResult<Anomaly?>(null);
    }

    /// <inheritdoc/>
    public override Task MarkDeliveredAsync(string id, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        _anomalies.AddOrUpdate(id, _ => throw new KeyNotFoundException(id), (_, anomaly) => anomaly with { DeliveredAt = anomaly.DeliveredAt ?? at });
        return Task.CompletedTask;
    }
}
