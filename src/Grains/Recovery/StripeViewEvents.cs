using System.Collections.Immutable;
using Billing.Grains.Customers;
using Billing.Grains.Entitlements;
using Billing.Grains.Events;
using Billing.Grains.Subscriptions;

namespace Billing.Grains.Recovery;

/// <summary>
/// Turns what Stripe's API showed of a customer (<see cref="StripeCustomerView"/>) into the snapshots the fold applies,
/// and compares it with the customer's state. The snapshots are ordinary facts dated when they were fetched, so the
/// fold's ordering rules decide as for any event: a snapshot never overrides a change Stripe created after it.
/// Pure: the drift test and the import share it.
/// </summary>
public static class StripeViewEvents
{
    /// <summary>The history's type of an imported snapshot.</summary>
    public const string ImportedType = "billing.imported";

    /// <summary>The history's type of a repair.</summary>
    public const string ReconciledType = "billing.reconciled";

    private static readonly ImmutableSortedDictionary<string, string> NoSubscriptions = ImmutableSortedDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal);

    /// <summary>Every snapshot of <paramref name="view"/>, as imported entries (one per subscription, and the entitlements).</summary>
    public static ImmutableArray<StripeEvent> Import(StripeCustomerView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var events = view.Subscriptions.Select(s => Snapshot(view, ImportedType, s)).ToList();
        if (view.Entitlements is { Length: > 0 } keys)
        {
            events.Add(Entitlements(view, ImportedType, keys));
        }

        return [.. events];
    }

    /// <summary>
    /// Where <paramref name="state"/> differs from <paramref name="view"/>: both sides (ids and statuses, access,
    /// entitlements) and the repairs that would make them agree; null when they agree. A subscription the customer
    /// changed after the view was fetched is not compared (the newer event stands).
    /// </summary>
    public static (DriftSide Billing, DriftSide Stripe, ImmutableArray<StripeEvent> Repairs)? Compare(
        CustomerState state, StripeCustomerView view, DateTimeOffset now, BillingOptions options)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(view);
        var billing = NoSubscriptions.ToBuilder();
        var stripe = NoSubscriptions.ToBuilder();
        List<StripeEvent> repairs = [];
        var listed = view.Subscriptions.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);

        foreach (var snapshot in view.Subscriptions)
        {
            if (!state.Subscriptions.TryGetValue(snapshot.Id, out var record))
            {
                if (GrantsOrAffects(snapshot.Status))
                {
                    billing[snapshot.Id] = "unknown";
                    stripe[snapshot.Id] = snapshot.Status;
                    repairs.Add(Snapshot(view, ReconciledType, snapshot));
                }
            }
            else if (!record.Final && record.Created <= view.FetchedAt &&
                     (record.Status != snapshot.Status || !SamePrices(record.Items, snapshot.Items)))
            {
                billing[snapshot.Id] = record.Status;
                stripe[snapshot.Id] = snapshot.Status;
                repairs.Add(Snapshot(view, ReconciledType, snapshot));
            }
        }

        if (view.Complete)
        {
            // Stripe lists every subscription of every status: one it does not list at all was deleted.
            foreach (var (id, record) in state.Subscriptions)
            {
                if (!listed.Contains(id) && !record.Final && GrantsOrAffects(record.Status) && record.Created <= view.FetchedAt)
                {
                    billing[id] = record.Status;
                    stripe[id] = "missing";
                    repairs.Add(new StripeEvent(EventId(view, id), ReconciledType, StripeEventKind.SubscriptionDeleted, view.FetchedAt,
                        new SubscriptionSnapshot(id, SubscriptionStatus.Canceled, null, [])));
                }
            }
        }

        ImmutableArray<string>? billingKeys = null, stripeKeys = null;
        if (view.Entitlements is { } keys)
        {
            var current = state.EntitlementSummary;
            var held = current?.LookupKeys ?? [];
            if ((current is null || current.Created <= view.FetchedAt) &&
                !held.ToHashSet(StringComparer.Ordinal).SetEquals(keys))
            {
                billingKeys = [.. held.Order(StringComparer.Ordinal)];
                stripeKeys = [.. keys.Order(StringComparer.Ordinal)];
                repairs.Add(Entitlements(view, ReconciledType, keys));
            }
        }

        if (repairs.Count == 0)
        {
            return null;
        }

        // Stripe's side of access: the state as the repairs would leave it.
        var repaired = FactsJson.Clone(state);
        foreach (var repair in repairs)
        {
            StripeEventApplier.Apply(repaired, repair);
        }

        var stripeAccess = EntitlementRules.Evaluate(repaired, now, options).Access;
        return (new DriftSide(billing.ToImmutable(), state.Access.ToString().ToUpperInvariant(), billingKeys),
            new DriftSide(stripe.ToImmutable(), stripeAccess.ToString().ToUpperInvariant(), stripeKeys),
            [.. repairs]);
    }

    private static StripeEvent Snapshot(StripeCustomerView view, string type, SubscriptionSnapshot snapshot) =>
        new(EventId(view, snapshot.Id), type, StripeEventKind.SubscriptionChanged, view.FetchedAt, snapshot with { PreviousStatus = null });

    private static StripeEvent Entitlements(StripeCustomerView view, string type, ImmutableArray<string> keys) =>
        new(EventId(view, "entitlements"), type, StripeEventKind.EntitlementSummaryUpdated, view.FetchedAt,
            EntitlementSummary: new EntitlementSummary(keys));

    // The job's id makes an entry's id: a job resumed after a crash applies each snapshot once, a later job again.
    private static string EventId(StripeCustomerView view, string what) => $"{view.JobId}:{what}";

    // Canceled and incomplete_expired grant nothing and start nothing: a subscription billing never heard of in those
    // states is not a drift.
    private static bool GrantsOrAffects(string status) =>
        status is not (SubscriptionStatus.Canceled or "incomplete_expired" or "incomplete");

    private static bool SamePrices(IEnumerable<SubscriptionItem> held, IEnumerable<SubscriptionItem> listed) =>
        held.Select(i => i.PriceId ?? string.Empty).Order(StringComparer.Ordinal)
            .SequenceEqual(listed.Select(i => i.PriceId ?? string.Empty).Order(StringComparer.Ordinal), StringComparer.Ordinal);
}
