using Billing.Grains.Journal;

namespace Billing.Journal;

/// <summary>
/// Every customer's journal, its head rows and the consumers' cursors. Appends, cursor saves and snapshot marks go
/// through one silo-wide writer that commits many customers' work together (<see cref="Postgres.GroupCommitWriter"/>).
/// </summary>
public interface IJournalStore
{
    /// <summary>Whether the journal outlives the process (PostgreSQL), or goes with it (memory).</summary>
    bool Durable { get; }

    /// <summary>Appends one customer's entries if its head is still at the expected version; never throws for that.</summary>
    Task<AppendOutcome> AppendAsync(JournalAppend append, CancellationToken cancellationToken = default);

    /// <summary>
    /// A customer's entries after <paramref name="afterVersion"/> (with facts), and the event ids of every entry
    /// recorded since <paramref name="recentSince"/>.
    /// </summary>
    Task<CustomerJournal> LoadAsync(string customerId, long afterVersion, DateTimeOffset recentSince, CancellationToken cancellationToken = default);

    /// <summary>
    /// What an activating customer grain reads, in one round trip: the entries after the snapshot its head row names
    /// (<see cref="CustomerJournal.After"/>: 0 when it has none, or when the customer is new), with facts, and the event
    /// ids of every entry recorded since <paramref name="recentSince"/>.
    /// </summary>
    Task<CustomerJournal> LoadLatestAsync(string customerId, DateTimeOffset recentSince, CancellationToken cancellationToken = default);

    /// <summary>Which of <paramref name="eventIds"/> the customer's journal already holds, however old.</summary>
    Task<IReadOnlySet<string>> FindExistingAsync(string customerId, IReadOnlyCollection<string> eventIds, CancellationToken cancellationToken = default);

    /// <summary>The customer's entry of <paramref name="eventId"/>, with facts; null when the journal has none (or pruned it).</summary>
    Task<JournalEntry?> FindEntryAsync(string customerId, string eventId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Up to <paramref name="limit"/> of a customer's entries with versions in (<paramref name="afterVersion"/>,
    /// <paramref name="upToVersion"/>], oldest first; facts only when <paramref name="withFacts"/>.
    /// </summary>
    Task<IReadOnlyList<JournalEntry>> ReadAsync(string customerId, long afterVersion, long upToVersion, int limit, bool withFacts,
        CancellationToken cancellationToken = default);

    /// <summary>Up to <paramref name="limit"/> of a customer's entries after <paramref name="afterVersion"/>, as the history shows them.</summary>
    Task<IReadOnlyList<HistoryEntry>> ListAsync(string customerId, long afterVersion, int limit, CancellationToken cancellationToken = default);

    /// <summary>The customer's latest entry recorded at or before <paramref name="instant"/>, or null.</summary>
    Task<HistoryEntry?> LatestAtAsync(string customerId, DateTimeOffset instant, CancellationToken cancellationToken = default);

    /// <summary>The customer's head version: 0 for a customer never journaled.</summary>
    Task<long> HeadVersionAsync(string customerId, CancellationToken cancellationToken = default);

    /// <summary>Records that the customer's snapshot at <paramref name="version"/> is stored (pruning may then drop what precedes it).</summary>
    Task MarkSnapshotAsync(string customerId, long version, CancellationToken cancellationToken = default);

    /// <summary>How far <paramref name="consumer"/> has delivered the customer's journal: 0 if never.</summary>
    Task<long> LoadCursorAsync(string consumer, string customerId, CancellationToken cancellationToken = default);

    /// <summary>Stores how far <paramref name="consumer"/> has delivered (a cursor never moves back).</summary>
    Task SaveCursorAsync(string consumer, string customerId, long version, CancellationToken cancellationToken = default);

    /// <summary>Customers whose grace period ran out by <paramref name="now"/>, the longest due first.</summary>
    Task<IReadOnlyList<string>> FindDueGracesAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default);

    /// <summary>Consumers behind their customer's journal, whose journal has been quiet since <paramref name="quietSince"/>.</summary>
    Task<IReadOnlyList<LaggingConsumer>> FindLaggingConsumersAsync(DateTimeOffset quietSince, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes, for up to <paramref name="customers"/> customers after <paramref name="afterCustomerId"/>, entries
    /// recorded before <paramref name="cutoff"/> except each customer's newest such entry (the answer as of any
    /// instant since the cutoff) and anything after the customer's latest snapshot.
    /// </summary>
    Task<PruneResult> PruneAsync(string? afterCustomerId, int customers, DateTimeOffset cutoff, CancellationToken cancellationToken = default);

    /// <summary>Up to <paramref name="limit"/> journaled customers after <paramref name="afterCustomerId"/>, in order.</summary>
    Task<IReadOnlyList<string>> ListCustomersAsync(string? afterCustomerId, int limit, CancellationToken cancellationToken = default);
}
