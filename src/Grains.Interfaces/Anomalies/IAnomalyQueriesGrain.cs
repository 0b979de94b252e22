using System.Collections.Immutable;

namespace Billing.Grains.Anomalies;

/// <summary>Operators' view of anomalies: list, acknowledge, resolve. Any silo answers from the store.</summary>
public interface IAnomalyQueriesGrain : IGrainWithIntegerKey
{
    /// <summary>Anomalies newest first; only those in <paramref name="state"/> when given.</summary>
    Task<ImmutableArray<Anomaly>> ListAsync(int limit, AnomalyState? state);

    /// <summary>One anomaly, or null.</summary>
    Task<Anomaly?> GetAsync(string id);

    /// <summary>Marks an open anomaly acknowledged (an acknowledged or resolved one stays as it is); null for an unknown id.</summary>
    Task<Anomaly?> AcknowledgeAsync(string id);

    /// <summary>Resolves an anomaly, so its account's baseline learns again; null for an unknown id.</summary>
    Task<Anomaly?> ResolveAsync(string id);
}
