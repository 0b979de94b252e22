using Billing.Grains.Events;

namespace Billing.Grains.Subscriptions;

/// <summary>
/// Decides whether a subscription snapshot is newer than the one applied. Stripe does not deliver in order, so
/// this comparison (not arrival) decides; see docs/adr/0002-event-ordering-and-dedupe.md.
/// </summary>
public static class SnapshotOrder
{
    /// <summary>Whether <paramref name="incoming"/> (from an event created at <paramref name="created"/>) replaces <paramref name="current"/>.</summary>
    public static bool Supersedes(SubscriptionRecord current, SubscriptionSnapshot incoming, long created, string eventId)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(incoming);

        if (current.Final)
        {
            return false;
        }

        if (created != current.Created)
        {
            return created > current.Created;
        }

        // Same second: Stripe often emits several changes at once; previous_attributes tells which came after.
        var incomingFollows = incoming.PreviousStatus == current.Status && incoming.Status != current.Status;
        var currentFollows = current.PreviousStatus == incoming.Status && current.Status != incoming.Status;
        if (incomingFollows != currentFollows)
        {
            return incomingFollows;
        }

        // No previous status, or a cycle: the contract's status order decides.
        var byStatus = SubscriptionStatus.TieBreakRank(incoming.Status)
            .CompareTo(SubscriptionStatus.TieBreakRank(current.Status));
        if (byStatus != 0)
        {
            return byStatus > 0;
        }

        // Same second, same status (e.g. two item changes): any fixed rule keeps permutations equal.
        return string.CompareOrdinal(eventId, current.EventId) > 0;
    }
}
