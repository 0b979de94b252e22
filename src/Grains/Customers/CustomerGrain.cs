using System.Collections.Immutable;
using Billing.Grains.Changes;
using Billing.Grains.Events;
using Billing.Grains.Journal;
using Billing.Grains.Risk;
using Billing.Grains.Subscriptions;
using Billing.Journal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Storage;
using Orleans.Utilities;

namespace Billing.Grains.Customers;

/// <summary>
/// One Stripe customer, as a fold over its journal. Not reentrant: Orleans runs one call at a time, so "already
/// applied?" and "apply" never interleave for two deliveries of one event. An event is folded into the state,
/// appended to the journal through the silo's group-commit writer, and only then answered, shown to readers and
/// published to the consumers. This file applies events and answers reads; loading and snapshots live in
/// <c>CustomerGrain.Loading.cs</c>, the grace timer in <c>CustomerGrain.Dunning.cs</c>, publishing in
/// <c>CustomerGrain.Fanout.cs</c>, the at-risk index in <c>CustomerGrain.Risk.cs</c>. See docs/adr/0008.
/// </summary>
public sealed partial class CustomerGrain(
    [FromKeyedServices(Constants.StorageName)] IGrainStorage storage,
    IJournalStore journal,
    IOptions<BillingOptions> options,
    IOptions<JournalOptions> journalOptions,
    ISubscriptionStatusSource stripe,
    EntitlementsFeed feed,
    IRiskIndex riskIndex,
    TimeProvider time,
    ILogger<CustomerGrain> logger) : Grain, ICustomerGrain, IRemindable
{
    private readonly ObserverManager<IEntitlementsObserver> _watchers = new(3 * ICustomerGrain.WatchRenewal, logger);

    private string CustomerId => this.GetPrimaryKeyString();

    /// <inheritdoc/>
    public async Task<ApplyStatus> ApplyAsync(StripeEvent stripeEvent)
    {
        ArgumentNullException.ThrowIfNull(stripeEvent);
        var result = await ApplyAllAsync([stripeEvent]);
        return result.Statuses[0];
    }

    /// <inheritdoc/>
    public Task<ApplyResult> ApplyAllAsync(ImmutableArray<StripeEvent> stripeEvents) => ApplyFromAsync(stripeEvents, JournalSource.Webhook);

    /// <inheritdoc/>
    public async Task<ApplyResult> ApplyFromAsync(ImmutableArray<StripeEvent> stripeEvents, JournalSource source)
    {
        if (stripeEvents.IsDefaultOrEmpty)
        {
            throw new ArgumentException("at least one event is required", nameof(stripeEvents));
        }

        var ledger = await LedgerAsync();
        try
        {
            return await ApplyOnceAsync(ledger, stripeEvents, source);
        }
        catch (DuplicateEventException)
        {
            // The journal holds an event id older than the dedupe window: that event was applied long ago. Reload,
            // learn which ids the journal has, and apply the rest.
            ledger = await LedgerAsync();
            ledger.Remember(await journal.FindExistingAsync(CustomerId, [.. stripeEvents.Select(e => e.Id)]), time.GetUtcNow());
            return await ApplyOnceAsync(ledger, stripeEvents, source);
        }
    }

    private async Task<ApplyResult> ApplyOnceAsync(CustomerLedger ledger, ImmutableArray<StripeEvent> stripeEvents, JournalSource source)
    {
        var now = time.GetUtcNow();
        var statuses = ImmutableArray.CreateBuilder<ApplyStatus>(stripeEvents.Length);
        List<AppliedEntry> applied = [];
        foreach (var stripeEvent in stripeEvents)
        {
            if (ledger.Knows(stripeEvent.Id))
            {
                // Also when an earlier event of this call applied it: answered only once the append below succeeds.
                LogDuplicate(stripeEvent.Id, stripeEvent.Type);
                statuses.Add(ApplyStatus.Duplicate);
                continue;
            }

            var stripeStatus = await StatusToSettleTieAsync(ledger.State, stripeEvent);
            var entry = ledger.Apply(stripeEvent.Id, stripeEvent.Type, source,
                DateTimeOffset.FromUnixTimeSeconds(stripeEvent.Created), new EventFacts(stripeEvent, stripeStatus), now);
            LogApplied(stripeEvent.Id, stripeEvent.Type, entry.Entry.Effects.Access, entry.Entry.Effects.Version, entry.Entry.Effects.Changed);
            applied.Add(entry);
            statuses.Add(ApplyStatus.Applied);
        }

        if (applied.Count > 0)
        {
            await AppendAsync(ledger, applied);
        }

        return new ApplyResult(statuses.MoveToImmutable(), Entitlements(ledger));
    }

    /// <inheritdoc/>
    public async ValueTask<CustomerEntitlements> GetEntitlementsAsync() => Entitlements(await LedgerAsync());

    /// <inheritdoc/>
    public async Task<CacheRead> ReadForCacheAsync() => new(Entitlements(await LedgerAsync()), feed.Source);

    /// <inheritdoc/>
    public async Task<CustomerOverview> GetOverviewAsync()
    {
        var ledger = await LedgerAsync();
        var subscriptions = ledger.State.Subscriptions
            .OrderBy(pair => pair.Key, StringComparer.Ordinal)
            .Select(pair => new SubscriptionSummary(pair.Key, pair.Value.Status, DateTimeOffset.FromUnixTimeSeconds(pair.Value.Created)))
            .ToImmutableArray();
        return new CustomerOverview(Entitlements(ledger), subscriptions, ChurnRisk.Assess(ledger.State, time.GetUtcNow()));
    }

    /// <inheritdoc/>
    public async Task<CustomerEntitlements> WatchAsync(IEntitlementsObserver observer)
    {
        var ledger = await LedgerAsync();
        _watchers.Subscribe(observer, observer);
        return Entitlements(ledger);
    }

    /// <inheritdoc/>
    public Task UnwatchAsync(IEntitlementsObserver observer)
    {
        _watchers.Unsubscribe(observer);
        return Task.CompletedTask;
    }

    // Appends what the ledger folded. Only a committed append is answered, shown and published; any other outcome
    // throws the ledger away (the next call reloads what the journal really holds) and fails the call, so that a
    // redelivery can only be "duplicate" if the event is durable.
    private async Task AppendAsync(CustomerLedger ledger, List<AppliedEntry> applied)
    {
        var append = new JournalAppend(CustomerId, applied[0].Entry.Version - 1, [.. applied.Select(a => a.Entry)], ledger.Head());
        AppendOutcome outcome;
        try
        {
            outcome = await journal.AppendAsync(append);
        }
        catch (Exception exception)
        {
            LogAppendFailed(exception, CustomerId, AppendOutcome.Unknown);
            outcome = AppendOutcome.Unknown;
        }

        if (outcome != AppendOutcome.Appended)
        {
            Forget();
            if (outcome == AppendOutcome.Conflict)
            {
                // This activation is stale (another one is, or was, active during a handover): let it go.
                DeactivateOnIdle();
            }

            LogNotAppended(CustomerId, outcome);
            throw outcome switch
            {
                AppendOutcome.Conflict => new InconsistentStateException($"another activation of {CustomerId} appended to its journal first"),
                AppendOutcome.DuplicateEvent => new DuplicateEventException(),
                _ => new JournalUnavailableException($"the journal could not store the events of {CustomerId} now ({outcome})"),
            };
        }

        if (applied.Any(a => a.Entry.Effects.Changed))
        {
            // One answer for both audiences of a change: WatchEntitlements streams and the gateways' near-caches.
            var entitlements = Entitlements(ledger);
            NotifyWatchers(entitlements);
            feed.Publish(entitlements);
        }

        Publish(applied);
        IndexRisk(ledger, activating: false);
        ScheduleSnapshotIfDue(ledger);
    }

    // Two snapshots of one second that previous_attributes cannot order: the contract asks Stripe which is current.
    private async Task<string?> StatusToSettleTieAsync(CustomerState state, StripeEvent stripeEvent)
    {
        if (stripeEvent.Subscription is not { } incoming ||
            !state.Subscriptions.TryGetValue(incoming.Id, out var current) ||
            !SnapshotOrder.NeedsStripeToDecide(current, incoming, stripeEvent.Created))
        {
            return null;
        }

        // Connect customers are keyed acct_…/cus_…: their subscriptions live on the connected account.
        var account = CustomerId.IndexOf('/', StringComparison.Ordinal) is var slash and > 0 ? CustomerId[..slash] : null;
        return await stripe.GetStatusAsync(incoming.Id, account);
    }

    private CustomerEntitlements Entitlements(CustomerLedger ledger)
    {
        var state = ledger.State;
        return new CustomerEntitlements(CustomerId, state.Access, [.. state.Features], state.Version, state.UpdatedAt);
    }

    private void NotifyWatchers(CustomerEntitlements entitlements)
    {
        if (_watchers.Count > 0)
        {
            _ = _watchers.Notify(watcher => watcher.OnEntitlementsChangedAsync(entitlements));
        }
    }

    // Thrown inside this grain only: the journal already holds one of the call's event ids.
    private sealed class DuplicateEventException() : Exception("an event id of the append is already journaled");

    [LoggerMessage(Level = LogLevel.Debug, Message = "Event {EventId} ({EventType}) was already applied")]
    private partial void LogDuplicate(string eventId, string eventType);

    // Debug: one line per event costs more than the event itself at load; metrics and traces carry the record.
    [LoggerMessage(Level = LogLevel.Debug,
        Message = "Applied event {EventId} ({EventType}): access {Access}, version {Version}, changed {Changed}")]
    private partial void LogApplied(string eventId, string eventType, AccessState access, long version, bool changed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not append to the journal of customer {CustomerId} ({Outcome})")]
    private partial void LogAppendFailed(Exception exception, string customerId, AppendOutcome outcome);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The journal did not take the append of customer {CustomerId} ({Outcome}); reloading it from the journal")]
    private partial void LogNotAppended(string customerId, AppendOutcome outcome);
}
