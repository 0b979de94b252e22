using Billing.Grains.Customers;
using Billing.Grains.Fanout;
using Billing.Grains.Journal;

namespace Billing.Journal.Tests;

/// <summary>Journal entries and appends for tests that talk to the store directly.</summary>
internal static class Entries
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    public static string NewCustomer() => $"cus_journal_{Guid.NewGuid():N}"[..30];

    /// <summary>An entry at <paramref name="version"/>; by default its entitlements' version is the journal version.</summary>
    public static JournalEntry Entry(string customerId, long version, string? eventId = null, DateTimeOffset? recordedAt = null,
        bool changed = false, bool notify = false) =>
        new(customerId, version, eventId ?? $"evt_{customerId}_{version}", "customer.subscription.updated", JournalSource.Webhook,
            T0, recordedAt ?? T0.AddSeconds(version), "{}",
            new JournalEffects(AccessState.Active, ["reports"], version, T0, changed,
                Previous: changed ? new EntitlementsSnapshot(AccessState.None, [], version - 1) : null,
                Notifications: notify ? [new CustomerNotification($"evt_{customerId}_{version}", NotificationKind.PaymentFailed, customerId, 1)] : null));

    /// <summary>An append of <paramref name="count"/> entries after <paramref name="expected"/>.</summary>
    public static JournalAppend Append(string customerId, long expected, int count = 1, DateTimeOffset? graceEndsAt = null,
        long snapshotVersion = 0, Func<long, string>? eventId = null, Func<long, DateTimeOffset>? recordedAt = null)
    {
        var entries = Enumerable.Range(1, count)
            .Select(i => Entry(customerId, expected + i, eventId?.Invoke(expected + i), recordedAt?.Invoke(expected + i)))
            .ToList();
        return new JournalAppend(customerId, expected, entries,
            new JournalHead(expected + count, graceEndsAt, 0, 0, snapshotVersion));
    }
}
