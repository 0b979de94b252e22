using System.Collections.Immutable;

namespace Billing.Grains.Anomalies.Store;

/// <summary>Where anomalies are kept: PostgreSQL in a deployment, memory in development.</summary>
public abstract class AnomalyStore
{
    /// <summary>The most an operator's list returns.</summary>
    public const int MaxLimit = 500;

    /// <summary>Stores a new anomaly; false (nothing changed) when one with its id exists.</summary>
    public abstract Task<bool> AddAsync(Anomaly anomaly, CancellationToken cancellationToken = default);

    /// <summary>One anomaly, or null.</summary>
    public abstract Task<Anomaly?> GetAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Anomalies newest first, only those in <paramref name="state"/> when given.</summary>
    public abstract Task<ImmutableArray<Anomaly>> ListAsync(int limit, AnomalyState? state, CancellationToken cancellationToken = default);

    /// <summary>The anomalies of <paramref name="scope"/> that are not resolved or not delivered yet.</summary>
    public abstract Task<ImmutableArray<Anomaly>> ListPendingAsync(string scope, CancellationToken cancellationToken = default);

    /// <summary>Moves an anomaly on in its life (never back: a resolved one stays resolved); the anomaly as stored after, or null.</summary>
    public abstract Task<Anomaly?> TransitionAsync(string id, AnomalyState state, DateTimeOffset at, string? resolvedBy,
        CancellationToken cancellationToken = default);

    /// <summary>Records that <c>anomaly.detected</c> for <paramref name="id"/> was delivered.</summary>
    public abstract Task MarkDeliveredAsync(string id, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>
    /// <paramref name="current"/> moved on to <paramref name="wanted"/>, or <paramref name="current"/> itself when that would
    /// move it back (acknowledging a resolved anomaly) or nowhere.
    /// </summary>
    protected static Anomaly Moved(Anomaly current, AnomalyState wanted, DateTimeOffset at, string? resolvedBy)
    {
        ArgumentNullException.ThrowIfNull(current);
        return wanted <= current.State ? current
            : wanted == AnomalyState.Acknowledged ? current with { State = wanted, AcknowledgedAt = at }
            : current with { State = wanted, ResolvedAt = at, ResolvedBy = resolvedBy };
    }
}
