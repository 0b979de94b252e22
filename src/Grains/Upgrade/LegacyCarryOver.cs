using Billing.Grains.Customers;
using Billing.Grains.Journal;
using Billing.Journal;

namespace Billing.Grains.Upgrade;

/// <summary>
/// Carries a customer over from an earlier version's state row to the journal: one <c>billing.migrated</c> entry whose
/// facts are that state (so the fold takes it as it was, and re-folding the journal still works) and whose effects
/// redeliver what the old outbox still held; a snapshot at that entry remembering the old row's event ids for the rest
/// of their dedupe window; and the head, with the grace period still running. Used by <c>migrate</c> for every row, and
/// by a customer grain that meets a row written by an earlier version after <c>migrate</c> ran.
/// </summary>
public static class LegacyCarryOver
{
    /// <summary>The type of the carrying-over entry.</summary>
    public const string EntryType = "billing.migrated";

    /// <summary>
    /// The append (after the journal's head at <paramref name="headVersion"/>) and the snapshot that carry
    /// <paramref name="legacy"/> over at <paramref name="now"/>.
    /// </summary>
    public static (JournalAppend Append, CustomerSnapshot Snapshot) Convert(string customerId, LegacyCustomerState legacy,
        long headVersion, DateTimeOffset now, BillingOptions options)
    {
        ArgumentNullException.ThrowIfNull(legacy);
        var facts = new EventFacts(State: legacy.State, Outbox: new CarriedOverOutbox(legacy.PendingFulfillment, legacy.PendingNotifications));

        var ledger = new CustomerLedger(customerId, options);
        ledger.Restore(new CustomerSnapshot { JournalVersion = headVersion, LastRecordedAt = DateTimeOffset.UnixEpoch, FoldVersion = CustomerFold.Version },
            CustomerJournal.Empty, now);
        var applied = ledger.Apply($"billing_migrated_{headVersion + 1}", EntryType, JournalSource.Migration, created: null, facts, now);
        ledger.SnapshotStored(ledger.JournalVersion);

        var window = now - JournalOptions.DedupeWindow;
        var snapshot = ledger.ToSnapshot(now);
        snapshot.LegacyEventIds = legacy.AppliedEvents
            .Where(pair => DateTimeOffset.FromUnixTimeSeconds(pair.Value) >= window)
            .ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.Ordinal);
        if (snapshot.LegacyEventIds.Count == 0)
        {
            snapshot.LegacyEventIds = null;
        }

        // Consumers start from nothing: the previous entries (if any) had nothing left for them, this one may.
        var head = ledger.Head();
        return (new JournalAppend(customerId, headVersion, [applied.Entry], head), snapshot);
    }
}
