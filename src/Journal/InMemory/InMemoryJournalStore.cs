using Billing.Grains.Fanout;
using Billing.Grains.Journal;

namespace Billing.Journal.InMemory;

/// <summary>
/// The journal in the silo's memory, with the same rules as PostgreSQL's (fenced heads, unique event ids, cursors
/// that never move back): for development without a database and for measuring what durability costs. Lost when
/// the silo stops, and private to one silo.
/// </summary>
public sealed class InMemoryJournalStore : IJournalStore
{
    private readonly Lock _gate = new();
    private readonly SortedDictionary<string, Customer> _customers = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Consumer, string CustomerId), (long Version, DateTimeOffset UpdatedAt)> _cursors = [];
    private readonly TimeProvider _time;

    /// <inheritdoc/>
    public bool Durable => false;

    /// <summary>Creates an empty journal.</summary>
    public InMemoryJournalStore(TimeProvider time) => _time = time;

    /// <inheritdoc/>
    public Task<AppendOutcome> AppendAsync(JournalAppend append, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(append);
        append.Validate();
        using var activity = JournalTracing.StartAppend(append);
        var outcome = Append(append);
        JournalTracing.Ended(activity, outcome);
        return Task.FromResult(outcome);
    }

    private AppendOutcome Append(JournalAppend append)
    {
        lock (_gate)
        {
            var customer = _customers.GetValueOrDefault(append.CustomerId);
            if ((customer?.Head.Version ?? 0) != append.ExpectedVersion)
            {
                return AppendOutcome.Conflict;
            }

            customer ??= new Customer();
            if (append.Entries.Any(entry => customer.EventIds.Contains(entry.EventId)) ||
                append.Entries.Select(entry => entry.EventId).Distinct(StringComparer.Ordinal).Count() != append.Entries.Count)
            {
                return AppendOutcome.DuplicateEvent;
            }

            // Stored as PostgreSQL would give them back: effects round-tripped through their JSON.
            foreach (var entry in append.Entries)
            {
                customer.Entries.Add(entry with { Effects = JournalJson.Deserialize(JournalJson.Serialize(entry.Effects)) });
                customer.EventIds.Add(entry.EventId);
            }

            customer.Head = append.Head with { SnapshotVersion = Math.Max(customer.Head.SnapshotVersion, append.Head.SnapshotVersion) };
            customer.UpdatedAt = _time.GetUtcNow();
            _customers[append.CustomerId] = customer;
            return AppendOutcome.Appended;
        }
    }

    /// <inheritdoc/>
    public Task<CustomerJournal> LoadAsync(string customerId, long afterVersion, DateTimeOffset recentSince, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(Load(customerId, afterVersion, recentSince));
        }
    }

    /// <inheritdoc/>
    public Task<CustomerJournal> LoadLatestAsync(string customerId, DateTimeOffset recentSince, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(Load(customerId, _customers.GetValueOrDefault(customerId)?.Head.SnapshotVersion ?? 0, recentSince));
        }
    }

    private CustomerJournal Load(string customerId, long afterVersion, DateTimeOffset recentSince)
    {
        var entries = _customers.GetValueOrDefault(customerId)?.Entries ?? [];
        return new CustomerJournal(afterVersion,
            [.. entries.Where(e => e.Version > afterVersion)],
            [.. entries.Where(e => e.RecordedAt >= recentSince).Select(e => new RecentEvent(e.EventId, e.RecordedAt))]);
    }

    /// <inheritdoc/>
    public Task<IReadOnlySet<string>> FindExistingAsync(string customerId, IReadOnlyCollection<string> eventIds, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var known = _customers.GetValueOrDefault(customerId)?.EventIds ?? [];
            return Task.FromResult<IReadOnlySet<string>>(eventIds.Where(known.Contains).ToHashSet(StringComparer.Ordinal));
        }
    }

    /// <inheritdoc/>
    public Task<JournalEntry?> FindEntryAsync(string customerId, string eventId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_customers.GetValueOrDefault(customerId)?.Entries.FirstOrDefault(e => e.EventId == eventId));
        }
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<JournalEntry>> ReadAsync(string customerId, long afterVersion, long upToVersion, int limit, bool withFacts,
        CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var entries = _customers.GetValueOrDefault(customerId)?.Entries ?? [];
            return Task.FromResult<IReadOnlyList<JournalEntry>>([.. entries
                .Where(e => e.Version > afterVersion && e.Version <= upToVersion)
                .Take(limit)
                .Select(e => withFacts ? e : e with { Facts = string.Empty })]);
        }
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<HistoryEntry>> ListAsync(string customerId, long afterVersion, int limit, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var entries = _customers.GetValueOrDefault(customerId)?.Entries ?? [];
            return Task.FromResult<IReadOnlyList<HistoryEntry>>([.. entries.Where(e => e.Version > afterVersion).Take(limit).Select(HistoryEntry.Of)]);
        }
    }

    /// <inheritdoc/>
    public Task<HistoryEntry?> LatestAtAsync(string customerId, DateTimeOffset instant, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var entries = _customers.GetValueOrDefault(customerId)?.Entries ?? [];
            return Task.FromResult(entries.LastOrDefault(e => e.RecordedAt <= instant) is { } entry ? HistoryEntry.Of(entry) : null);
        }
    }

    /// <inheritdoc/>
    public Task<long> HeadVersionAsync(string customerId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_customers.GetValueOrDefault(customerId)?.Head.Version ?? 0);
        }
    }

    /// <inheritdoc/>
    public Task MarkSnapshotAsync(string customerId, long version, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_customers.TryGetValue(customerId, out var customer))
            {
                customer.Head = customer.Head with { SnapshotVersion = Math.Max(customer.Head.SnapshotVersion, version) };
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task<long> LoadCursorAsync(string consumer, string customerId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_cursors.TryGetValue((consumer, customerId), out var cursor) ? cursor.Version : 0);
        }
    }

    /// <inheritdoc/>
    public Task SaveCursorAsync(string consumer, string customerId, long version, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var current = _cursors.TryGetValue((consumer, customerId), out var cursor) ? cursor.Version : 0;
            _cursors[(consumer, customerId)] = (Math.Max(current, version), _time.GetUtcNow());
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<string>> FindDueGracesAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<string>>([.. _customers
                .Where(c => c.Value.Head.GraceEndsAt <= now)
                .OrderBy(c => c.Value.Head.GraceEndsAt)
                .Take(limit)
                .Select(c => c.Key)]);
        }
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<LaggingConsumer>> FindLaggingConsumersAsync(DateTimeOffset quietSince, int limit, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var quiet = _customers.Where(c => c.Value.UpdatedAt < quietSince).ToList();
            return Task.FromResult<IReadOnlyList<LaggingConsumer>>([
                .. quiet.Where(c => c.Value.Head.FulfillmentVersion > Cursor(FanoutStreams.Fulfillment, c.Key)).Take(limit)
                    .Select(c => new LaggingConsumer(FanoutStreams.Fulfillment, c.Key)),
                .. quiet.Where(c => c.Value.Head.NotificationVersion > Cursor(FanoutStreams.Notifications, c.Key)).Take(limit)
                    .Select(c => new LaggingConsumer(FanoutStreams.Notifications, c.Key)),
            ]);
        }

        long Cursor(string consumer, string customerId) => _cursors.TryGetValue((consumer, customerId), out var cursor) ? cursor.Version : 0;
    }

    /// <inheritdoc/>
    public Task<PruneResult> PruneAsync(string? afterCustomerId, int customers, DateTimeOffset cutoff, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var slice = _customers.Where(c => afterCustomerId is null || string.CompareOrdinal(c.Key, afterCustomerId) > 0).Take(customers).ToList();
            long deleted = 0;
            foreach (var (_, customer) in slice)
            {
                var newestOld = customer.Entries.LastOrDefault(e => e.RecordedAt < cutoff)?.Version ?? 0;
                var upTo = Math.Min(customer.Head.SnapshotVersion, newestOld - 1);
                foreach (var entry in customer.Entries.Where(e => e.Version <= upTo))
                {
                    customer.EventIds.Remove(entry.EventId);
                }

                deleted += customer.Entries.RemoveAll(e => e.Version <= upTo);
            }

            return Task.FromResult(new PruneResult(slice.Count < customers || slice.Count == 0 ? null : slice[^1].Key, slice.Count, deleted));
        }
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<string>> ListCustomersAsync(string? afterCustomerId, int limit, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<string>>([.. _customers.Keys
                .Where(key => afterCustomerId is null || string.CompareOrdinal(key, afterCustomerId) > 0)
                .Take(limit)]);
        }
    }

    private sealed class Customer
    {
        public List<JournalEntry> Entries { get; } = [];

        // Event ids are unique per customer for as long as their entry is kept, as in PostgreSQL.
        public HashSet<string> EventIds { get; } = new(StringComparer.Ordinal);

        public JournalHead Head { get; set; } = new(0, null, 0, 0, 0);

        public DateTimeOffset UpdatedAt { get; set; }
    }
}
