using Billing.Grains.Entitlements;
using Billing.Grains.Fanout;
using Billing.Grains.Journal;

namespace Billing.Grains.Customers;

/// <summary>
/// How one journal entry changes a customer's state, and what it decides: a pure function of the state, the entry's
/// facts, the time it was recorded and the configuration (no clock, no I/O), so that folding a customer's journal
/// again always gives the state and the effects it gave the first time (the drift test re-folds whole journals).
/// </summary>
public static class CustomerFold
{
    /// <summary>
    /// The fold's version, kept in snapshots. Raise it whenever a change would make the same entries give a different
    /// state: snapshots of another version are then ignored and the journal is folded again.
    /// </summary>
    public const int Version = 1;

    /// <summary>Applies one entry to <paramref name="state"/> and returns its effects.</summary>
    public static JournalEffects Apply(CustomerState state, string customerId, DateTimeOffset recordedAt, EventFacts facts,
        BillingOptions options)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(options);

        if (facts.State is { } carried)
        {
            // The state an earlier version kept, taken as it was: its entitlements stand until the next entry.
            Replace(state, carried);
            return new JournalEffects(state.Access, [.. state.Features], state.Version, state.UpdatedAt, Changed: false,
                Notifications: facts.Outbox is { Notifications.Count: > 0 } outbox ? outbox.Notifications : null,
                CarriedOverFulfillment: facts.Outbox is { Fulfillment.Count: > 0 } pending ? pending.Fulfillment : null);
        }

        var stripeEvent = facts.Event;
        var before = stripeEvent is null ? null : new FactsBefore(state, stripeEvent);
        if (stripeEvent is not null)
        {
            StripeEventApplier.Apply(state, stripeEvent, facts.StripeStatus);
        }

        var decision = EntitlementRules.Evaluate(state, recordedAt, options);
        state.GraceEndsAt = decision.GraceEndsAt;
        EntitlementsSnapshot? previous = null;
        if (decision.Access != state.Access || !decision.Features.SequenceEqual(state.Features, StringComparer.Ordinal))
        {
            previous = new EntitlementsSnapshot(state.Access, [.. state.Features], state.Version);
            state.Access = decision.Access;
            state.Features = [.. decision.Features];
            state.Version++;
            state.UpdatedAt = recordedAt;
        }

        List<CustomerNotification>? notifications = null;
        if (stripeEvent is not null && FanoutMessages.ForEvent(customerId, stripeEvent, before!, state) is { } notification)
        {
            (notifications ??= []).Add(notification);
        }

        if (previous is not null && FanoutMessages.SuspensionOf(customerId, recordedAt, previous, state, causedBy: stripeEvent?.Id) is { } suspension)
        {
            (notifications ??= []).Add(suspension);
        }

        return new JournalEffects(state.Access, [.. state.Features], state.Version, state.UpdatedAt, previous is not null, previous, notifications);
    }

    private static void Replace(CustomerState state, CustomerState carried)
    {
        state.Subscriptions = carried.Subscriptions;
        state.Dunning = carried.Dunning;
        state.Risk = carried.Risk;
        state.EntitlementSummary = carried.EntitlementSummary;
        state.Deleted = carried.Deleted;
        state.Access = carried.Access;
        state.Features = carried.Features;
        state.GraceEndsAt = carried.GraceEndsAt;
        state.Version = carried.Version;
        state.UpdatedAt = carried.UpdatedAt;
    }
}
