using Billing.Grains.Journal;
using Billing.Journal;

namespace Billing.Grains.Customers;

/// <summary>
/// One activation's view of a customer's journal: the fold's state, the journal version it is at, the event ids
/// within the dedupe window, and what the next append's head must say. Plain code (no Orleans), so the racing-
/// activations property test drives two of these against one journal. Entries are folded into the state before
/// they are stored; when an append fails, the owner throws this ledger away and restores a new one from storage.
/// </summary>
public sealed class CustomerLedger
{
    private readonly BillingOptions _options;
    private readonly DedupeWindow _applied = new();
    private readonly HashSet<string> _legacy = new(StringComparer.Ordinal);

    /// <summary>A ledger for a customer with no history.</summary>
    public CustomerLedger(string customerId, BillingOptions options)
    {
        CustomerId = customerId;
        _options = options;
    }

    /// <summary>The customer.</summary>
    public string CustomerId { get; }

    /// <summary>The fold's state.</summary>
    public CustomerState State { get; private set; } = new();

    /// <summary>The version of the last entry folded.</summary>
    public long JournalVersion { get; private set; }

    /// <summary>The latest entry with something for the fulfillment consumer.</summary>
    public long FulfillmentVersion { get; private set; }

    /// <summary>The latest entry with something for the notification consumer.</summary>
    public long NotificationVersion { get; private set; }

    /// <summary>The journal version of the latest snapshot stored.</summary>
    public long SnapshotVersion { get; private set; }

    /// <summary>When the last entry folded was recorded.</summary>
    public DateTimeOffset LastRecordedAt { get; private set; } = DateTimeOffset.UnixEpoch;

    /// <summary>How many event ids the dedupe window holds.</summary>
    public int RememberedEvents => _applied.Count;

    /// <summary>
    /// Rebuilds the ledger from a snapshot (null: from the journal's start) and the journal read after it. Entries the
    /// snapshot already covers are skipped (a snapshot may be newer than the head row says, if recording it failed).
    /// </summary>
    /// <exception cref="InvalidOperationException">The journal's tail does not follow the snapshot.</exception>
    public void Restore(CustomerSnapshot? snapshot, CustomerJournal journal, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(journal);
        if (snapshot is not null)
        {
            State = FactsJson.Clone(snapshot.State);
            JournalVersion = SnapshotVersion = snapshot.JournalVersion;
            FulfillmentVersion = snapshot.FulfillmentVersion;
            NotificationVersion = snapshot.NotificationVersion;
            LastRecordedAt = snapshot.LastRecordedAt;
            foreach (var (eventId, appliedAt) in snapshot.LegacyEventIds ?? [])
            {
                _applied.Add(eventId, DateTimeOffset.FromUnixTimeSeconds(appliedAt));
                _legacy.Add(eventId);
            }
        }

        foreach (var entry in journal.Tail.Where(e => e.Version > JournalVersion))
        {
            if (entry.Version != JournalVersion + 1)
            {
                throw new InvalidOperationException(
                    $"the journal of {CustomerId} continues at version {entry.Version} after {JournalVersion}: it was pruned past the snapshot");
            }

            var effects = CustomerFold.Apply(State, CustomerId, entry.RecordedAt, FactsJson.Deserialize(entry.Facts), _options);
            Advance(entry.Version, entry.RecordedAt, effects);
        }

        foreach (var recent in journal.RecentEvents)
        {
            _applied.Add(recent.EventId, recent.RecordedAt);
        }

        _applied.Prune(now - JournalOptions.DedupeWindow);
    }

    /// <summary>Whether <paramref name="eventId"/> was applied within the dedupe window.</summary>
    public bool Knows(string eventId) => _applied.Contains(eventId);

    /// <summary>Remembers event ids the journal turned out to hold already (older than the window).</summary>
    public void Remember(IEnumerable<string> eventIds, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(eventIds);
        foreach (var eventId in eventIds)
        {
            _applied.Add(eventId, now);
        }
    }

    /// <summary>
    /// Folds one entry into the state at the next journal version and remembers its event id. Recorded at
    /// <paramref name="now"/>, or at the previous entry's time if the clock went back (a customer's history never
    /// runs backwards), to the microsecond PostgreSQL keeps.
    /// </summary>
    public AppliedEntry Apply(string eventId, string type, JournalSource source, DateTimeOffset? created, EventFacts facts, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var recordedAt = Microseconds(now > LastRecordedAt ? now : LastRecordedAt);
        var effects = CustomerFold.Apply(State, CustomerId, recordedAt, facts, _options);
        var previousFulfillment = FulfillmentVersion;
        var previousNotification = NotificationVersion;
        Advance(JournalVersion + 1, recordedAt, effects);
        _applied.Add(eventId, recordedAt);
        _applied.Prune(now - JournalOptions.DedupeWindow);
        var entry = new JournalEntry(CustomerId, JournalVersion, eventId, type, source, created, recordedAt, FactsJson.Serialize(facts), effects);
        return new AppliedEntry(entry, previousFulfillment, previousNotification);
    }

    /// <summary>The head row as the next append must leave it.</summary>
    public JournalHead Head() => new(JournalVersion, State.GraceEndsAt, FulfillmentVersion, NotificationVersion, SnapshotVersion);

    /// <summary>The snapshot of the ledger as it is now.</summary>
    public CustomerSnapshot ToSnapshot(DateTimeOffset now)
    {
        var legacy = _legacy.Count == 0 ? null : _applied.Export(now - JournalOptions.DedupeWindow, _legacy.Contains);
        return new CustomerSnapshot
        {
            FoldVersion = CustomerFold.Version,
            JournalVersion = JournalVersion,
            FulfillmentVersion = FulfillmentVersion,
            NotificationVersion = NotificationVersion,
            LastRecordedAt = LastRecordedAt,
            State = FactsJson.Clone(State),
            LegacyEventIds = legacy is { Count: > 0 } ? legacy : null,
        };
    }

    /// <summary>The snapshot at <paramref name="version"/> is stored.</summary>
    public void SnapshotStored(long version) => SnapshotVersion = Math.Max(SnapshotVersion, version);

    private void Advance(long version, DateTimeOffset recordedAt, JournalEffects effects)
    {
        JournalVersion = version;
        LastRecordedAt = recordedAt;
        if (effects.ForFulfillment)
        {
            FulfillmentVersion = version;
        }

        if (effects.ForNotifications)
        {
            NotificationVersion = version;
        }
    }

    private static DateTimeOffset Microseconds(DateTimeOffset value) =>
        new(value.UtcTicks - (value.UtcTicks % 10), TimeSpan.Zero);
}
