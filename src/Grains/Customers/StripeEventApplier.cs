using Billing.Grains.Events;
using Billing.Grains.Subscriptions;

namespace Billing.Grains.Customers;

/// <summary>
/// Records the facts of one event in a customer's state. Pure and order-insensitive by construction: every rule
/// here gives the same state whatever order a customer's events arrive in (the property tests check this).
/// Dedupe is the caller's job: this must see each event once.
/// </summary>
public static class StripeEventApplier
{
    /// <summary>
    /// Records <paramref name="stripeEvent"/> in <paramref name="state"/>. <paramref name="stripeStatus"/> is the
    /// subscription's status as Stripe reports it now, when the caller fetched it to settle a same-second tie.
    /// </summary>
    public static void Apply(CustomerState state, StripeEvent stripeEvent, string? stripeStatus = null)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(stripeEvent);

        switch (stripeEvent.Kind)
        {
            case StripeEventKind.SubscriptionChanged or StripeEventKind.TrialWillEnd when stripeEvent.Subscription is { } snapshot:
                ApplySnapshot(state, snapshot, stripeEvent, final: false, stripeStatus);
                break;
            case StripeEventKind.SubscriptionDeleted when stripeEvent.Subscription is { } snapshot:
                ApplySnapshot(state, snapshot, stripeEvent, final: true, stripeStatus: null);
                break;
            case StripeEventKind.InvoicePaymentFailed:
                RecordPaymentFailure(state.Dunning, stripeEvent.Created, final: stripeEvent.Invoice?.FinalAttempt == true);
                break;
            case StripeEventKind.ChargeRefunded:
                state.Risk.LastRefundAt = Latest(state.Risk.LastRefundAt, stripeEvent.Created);
                break;
            case StripeEventKind.ChargeDisputed:
                state.Risk.LastDisputeAt = Latest(state.Risk.LastDisputeAt, stripeEvent.Created);
                break;
            case StripeEventKind.InvoicePaid:
                RecordPayment(state.Dunning, stripeEvent.Created);
                break;
            case StripeEventKind.EntitlementSummaryUpdated when stripeEvent.EntitlementSummary is { } summary:
                ApplySummary(state, summary, stripeEvent);
                break;
            case StripeEventKind.CustomerDeleted:
                state.Deleted = true;
                break;
        }
    }

    private static void ApplySnapshot(CustomerState state, SubscriptionSnapshot snapshot, StripeEvent stripeEvent, bool final,
        string? stripeStatus)
    {
        if (!state.Subscriptions.TryGetValue(snapshot.Id, out var record))
        {
            record = new SubscriptionRecord { Status = snapshot.Status, EventId = stripeEvent.Id, Created = long.MinValue };
            state.Subscriptions[snapshot.Id] = record;
            Replace(record, snapshot, stripeEvent, final);
        }
        else if (final && !record.Final)
        {
            // Deletion is final whenever it arrives: no older or newer snapshot changes the subscription again.
            Replace(record, snapshot, stripeEvent, final: true);
        }
        else if (!final && SnapshotOrder.Supersedes(record, snapshot, stripeEvent.Created, stripeEvent.Id, stripeStatus))
        {
            Replace(record, snapshot, stripeEvent, final: false);
        }

        TrackPastDue(record, snapshot.Status, stripeEvent.Created);
        if (snapshot.Downgraded)
        {
            state.Risk.LastDowngradeAt = Latest(state.Risk.LastDowngradeAt, stripeEvent.Created);
        }
    }

    // The latest of two instants: the same whatever order the events arrive in.
    private static long Latest(long? current, long created) => current is { } known && known > created ? known : created;

    private static void Replace(SubscriptionRecord record, SubscriptionSnapshot snapshot, StripeEvent stripeEvent, bool final)
    {
        record.Status = final && snapshot.Status != SubscriptionStatus.Canceled ? SubscriptionStatus.Canceled : snapshot.Status;
        record.PreviousStatus = snapshot.PreviousStatus;
        record.Created = stripeEvent.Created;
        record.EventId = stripeEvent.Id;
        record.Final = final;
        record.Items = [.. snapshot.Items];
        record.TrialEnd = snapshot.TrialEnd;
        record.CancelAtPeriodEnd = snapshot.CancelAtPeriodEnd;
        record.CancelAt = snapshot.CancelAt;
        record.HasPaymentMethod = snapshot.HasPaymentMethod;
    }

    // The start of a past-due stretch is the earliest past_due snapshot not older than the latest snapshot that
    // showed another status. Kept as a set so it does not depend on which of those snapshots arrived first.
    private static void TrackPastDue(SubscriptionRecord record, string status, long created)
    {
        if (status == SubscriptionStatus.PastDue)
        {
            if (record.LastNotPastDueAt is not { } last || created >= last)
            {
                record.PastDueSeenAt.Add(created);
            }

            return;
        }

        if (record.LastNotPastDueAt is { } previous && previous >= created)
        {
            return;
        }

        record.LastNotPastDueAt = created;
        record.PastDueSeenAt.RemoveWhere(seen => seen < created);
    }

    private static void RecordPaymentFailure(DunningRecord dunning, long created, bool final)
    {
        if (dunning.LastPaymentAt is not { } paid || created > paid)
        {
            dunning.FailuresSinceLastPayment.Add(created);
            if (final)
            {
                dunning.FinalFailureAt = Latest(dunning.FinalFailureAt, created);
            }
        }
    }

    private static void RecordPayment(DunningRecord dunning, long created)
    {
        if (dunning.LastPaymentAt is { } paid && paid >= created)
        {
            return;
        }

        // A payment in the same second as a failure is the retry that succeeded: it ends that failure too.
        dunning.LastPaymentAt = created;
        dunning.FailuresSinceLastPayment.RemoveWhere(failed => failed <= created);
        if (dunning.FinalFailureAt <= created)
        {
            dunning.FinalFailureAt = null;
        }
    }

    private static void ApplySummary(CustomerState state, EntitlementSummary summary, StripeEvent stripeEvent)
    {
        if (state.EntitlementSummary is { } current &&
            (current.Created > stripeEvent.Created ||
             (current.Created == stripeEvent.Created && string.CompareOrdinal(current.EventId, stripeEvent.Id) > 0)))
        {
            return;
        }

        state.EntitlementSummary = new EntitlementSummaryRecord(stripeEvent.Created, stripeEvent.Id, [.. summary.LookupKeys]);
    }
}
