using Billing.Grains.Events;

namespace Billing.Grains.Subscriptions;

/// <summary>
/// Decides whether a subscription snapshot is newer than the one applied. Stripe does not deliver in order, so
/// this comparison (not arrival) decides; see docs/adr/0002-event-ordering-and-dedupe.md.
/// </summary>
public static class SnapshotOrder
{
    /// <summary>
    /// Whether <paramref name="incoming"/> (from an event created at <paramref name="created"/>) replaces
    /// <paramref name="current"/>. <paramref name="stripeStatus"/>, the subscription's status fetched from Stripe,
    /// settles a tie that neither the time nor previous_attributes decide (see <see cref="NeedsStripeToDecide"/>).
    /// </summary>
    public static bool Supersedes(SubscriptionRecord current, SubscriptionSnapshot incoming, long created, string eventId,
        string? stripeStatus = null)
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

        // No previous status, or a cycle: Stripe's current status decides when it names one of the two...
        if (stripeStatus is not null && incoming.Status != current.Status)
        {
            if (stripeStatus == incoming.Status)
            {
                return true;
            }

            if (stripeStatus == current.Status)
            {
                return false;
            }
        }

        // ...and otherwise the contract's status order.
        var byStatus = SubscriptionStatus.TieBreakRank(incoming.Status)
            .CompareTo(SubscriptionStatus.TieBreakRank(current.Status));
        if (byStatus != 0)
        {
            return byStatus > 0;
        }

        // Same second, same status (e.g. two item changes): any fixed rule keeps permutations equal.
        return string.CompareOrdinal(eventId, current.EventId) > 0;
    }

    /// <summary>
    /// Whether the order of <paramref name="incoming"/> and <paramref name="current"/> is one the contract leaves to
    /// Stripe: the same second, different statuses, and previous_attributes do not say which came after.
    /// </summary>
    public static bool NeedsStripeToDecide(SubscriptionRecord current, SubscriptionSnapshot incoming, long created)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(incoming);
        if (current.Final || created != current.Created || incoming.Status == current.Status)
        {
            return false;
        }

        var incomingFollows = incoming.PreviousStatus == current.Status;
        var currentFollows = current.PreviousStatus == incoming.Status;
        return incomingFollows == currentFollows;
    }
}
