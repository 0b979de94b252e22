using System.Collections.Immutable;
using Orleans.Concurrency;
using Billing.Grains.Events;
using Billing.Grains.Journal;
using Billing.Grains.Recovery;

namespace Billing.Grains.Customers;

/// <summary>
/// The billing state of one Stripe customer (key: <c>cus_…</c>, or <c>acct_…/cus_…</c> for Connect events).
/// Orleans runs one call at a time per customer, which is what makes dedupe and ordering simple.
/// </summary>
public interface ICustomerGrain : IGrainWithStringKey
{
    /// <summary>
    /// Applies a verified Stripe event at most once. Returns only after the event and its effect are durably
    /// journaled; throws when they could not be, so the webhook answers non-2xx and Stripe delivers again.
    /// </summary>
    Task<ApplyStatus> ApplyAsync(StripeEvent stripeEvent);

    /// <summary>
    /// Applies several verified events of this customer, in the order given, each at most once, and journals them with
    /// one append: the gateway hands over together what arrived while the previous call was in flight. Returns only
    /// after all of them are durably journaled; throws when they could not be, and then none of them is:
    /// <see cref="Orleans.Storage.InconsistentStateException"/> when another activation of the customer appended first
    /// (retry: the next call reloads), <see cref="Journal.JournalUnavailableException"/> when the journal could not be
    /// written or its outcome is unknown.
    /// </summary>
    Task<ApplyResult> ApplyAllAsync(ImmutableArray<StripeEvent> stripeEvents);

    /// <summary>
    /// The same as <see cref="ApplyAllAsync"/> for events that did not come as webhooks: read from Stripe's Events API
    /// (<see cref="JournalSource.EventsApi"/>) or made from Stripe's objects; the history records where they came from.
    /// </summary>
    Task<ApplyResult> ApplyFromAsync(ImmutableArray<StripeEvent> stripeEvents, JournalSource source);

    /// <summary>
    /// Applies what Stripe's API showed of this customer as imported snapshots (<c>billing.imported</c>, source
    /// <c>import</c>), each once per job, under the fold's ordering rules.
    /// </summary>
    Task<ReconcileOutcome> ImportAsync(StripeCustomerView view);

    /// <summary>
    /// Compares the customer with what Stripe's API showed and, when <paramref name="repair"/>, applies Stripe's side of
    /// every difference (<c>billing.reconciled</c>, source <c>reconcile</c>); a change newer than the view stands.
    /// </summary>
    Task<ReconcileOutcome> ReconcileAsync(StripeCustomerView view, bool repair);

    /// <summary>
    /// Applies the journaled Stripe event <paramref name="eventId"/> again (source <c>replay</c>), past the dedupe but
    /// through the ordering rules, so replaying an old event never rolls the state back. Null when the journal has no
    /// Stripe event of that id.
    /// </summary>
    Task<ApplyResult?> ReplayAsync(string eventId);

    /// <summary>What the customer may use right now.</summary>
    [ReadOnly]
    ValueTask<CustomerEntitlements> GetEntitlementsAsync();

    /// <summary>
    /// What the customer may use right now, and the feed (<see cref="Changes.IEntitlementsFeedGrain"/>) of the silo
    /// holding it, which carries its next change: a gateway's near-cache keeps the answer by that feed.
    /// </summary>
    [ReadOnly]
    Task<Changes.CacheRead> ReadForCacheAsync();

    /// <summary>
    /// Subscribes <paramref name="observer"/> to every later change and returns the entitlements now, in one turn,
    /// so no change falls between the two. Subscriptions expire: call again (the gateway does every
    /// <see cref="WatchRenewal"/>) to stay subscribed, also after the grain moved to another silo.
    /// </summary>
    Task<CustomerEntitlements> WatchAsync(IEntitlementsObserver observer);

    /// <summary>Ends a subscription made with <see cref="WatchAsync"/>.</summary>
    Task UnwatchAsync(IEntitlementsObserver observer);

    /// <summary>
    /// The grace period may have run out (the journal's sweeper found it due): if so, access is suspended and the
    /// transition is journaled as <c>billing.grace_expired</c>. Harmless when called again or too early.
    /// </summary>
    Task ExpireGraceAsync();

    /// <summary>The customer's entitlements and subscriptions, for operators.</summary>
    [ReadOnly]
    Task<CustomerOverview> GetOverviewAsync();

    /// <summary>How often a watcher renews its subscription; it lapses after three missed renewals.</summary>
    static TimeSpan WatchRenewal => TimeSpan.FromSeconds(20);
}
