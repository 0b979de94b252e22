namespace Billing.Grains.Journal;

/// <summary>
/// The cluster's one journal sweeper (key <see cref="Key"/>): every few seconds it finds customers whose grace period
/// is due and consumers that lag behind the journal, and pokes them; now and then it prunes history older than the
/// retention. A durable reminder keeps it alive across silo restarts.
/// </summary>
public interface IJournalMaintenanceGrain : IGrainWithStringKey
{
    /// <summary>The key of the one instance.</summary>
    const string Key = "cluster";

    /// <summary>Makes sure the sweeper runs (every silo calls this at start); harmless when it does.</summary>
    Task StartAsync();

    /// <summary>Runs one sweep now (due grace periods, lagging consumers) and returns how many grains it poked.</summary>
    Task<int> SweepAsync();
}
