using System.Collections.Immutable;
using Billing.Grains.Entitlements;
using Billing.Grains.Events;
using Billing.Grains.Fanout;
using Billing.Grains.Subscriptions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Utilities;

namespace Billing.Grains.Customers;

/// <summary>
/// One Stripe customer. Not reentrant: Orleans runs one call at a time, so "already applied?" and "apply" can
/// never interleave for two deliveries of the same event. This file applies events and answers reads; the
/// grace timer lives in <c>CustomerGrain.Dunning.cs</c> and the fan-out outbox in <c>CustomerGrain.Outbox.cs</c>.
/// </summary>
public sealed partial class CustomerGrain(
    [PersistentState(stateName: "customer", storageName: Constants.StorageName)] IPersistentState<CustomerState> state,
    IOptions<BillingOptions> options,
    ISubscriptionStatusSource stripe,
    TimeProvider time,
    ILogger<CustomerGrain> logger) : Grain, ICustomerGrain, IRemindable
{
    /// <summary>How long an applied event id is remembered: Stripe retries for 3 days; the contract asks for 30.</summary>
    internal static readonly TimeSpan DedupeWindow = TimeSpan.FromDays(30);

    private readonly ObserverManager<IEntitlementsObserver> _watchers = new(3 * ICustomerGrain.WatchRenewal, logger);

    // Set when a change failed before it was stored (the write itself, or a reminder registered before it): the
    // in-memory state holds what storage does not, and no call may see it.
    private bool _stateNotDurable;

    private string CustomerId => this.GetPrimaryKeyString();

    /// <inheritdoc/>
    public async Task<ApplyStatus> ApplyAsync(StripeEvent stripeEvent)
    {
        ArgumentNullException.ThrowIfNull(stripeEvent);
        var result = await ApplyAllAsync([stripeEvent]);
        return result.Statuses[0];
    }

    /// <inheritdoc/>
    public async Task<ApplyResult> ApplyAllAsync(ImmutableArray<StripeEvent> stripeEvents)
    {
        if (stripeEvents.IsDefaultOrEmpty)
        {
            throw new ArgumentException("at least one event is required", nameof(stripeEvents));
        }

        await EnsureDurableStateAsync();
        return await StoredOrForgottenAsync(async () =>
        {
            var now = time.GetUtcNow();
            var statuses = ImmutableArray.CreateBuilder<ApplyStatus>(stripeEvents.Length);
            List<IFanoutMessage> messages = [];
            EntitlementDecision? decision = null;
            foreach (var stripeEvent in stripeEvents)
            {
                if (state.State.AppliedEvents.ContainsKey(stripeEvent.Id))
                {
                    // Also when an earlier event of this call applied it: answered only once the write below succeeds.
                    LogDuplicate(stripeEvent.Id, stripeEvent.Type);
                    statuses.Add(ApplyStatus.Duplicate);
                    continue;
                }

                var stripeStatus = await StatusToSettleTieAsync(stripeEvent);
                decision = ApplyInMemory(stripeEvent, stripeStatus, now, messages);
                statuses.Add(ApplyStatus.Applied);
            }

            if (decision is not null)
            {
                PruneAppliedEvents(now);
                await CommitAsync(decision, messages, now);
            }

            return new ApplyResult(statuses.MoveToImmutable(), Entitlements());
        });
    }

    // One event's effect on the in-memory state, and the fan-out it causes; stored by the caller's CommitAsync.
    private EntitlementDecision ApplyInMemory(StripeEvent stripeEvent, string? stripeStatus, DateTimeOffset now, List<IFanoutMessage> messages)
    {
        var before = new FactsBefore(state.State, stripeEvent);
        state.State.AppliedEvents[stripeEvent.Id] = now.ToUnixTimeSeconds();
        StripeEventApplier.Apply(state.State, stripeEvent, stripeStatus);
        var (decision, previous) = Derive(now);
        if (FanoutMessages.ForEvent(CustomerId, stripeEvent, before, state.State) is { } notification)
        {
            messages.Add(notification);
        }

        if (previous is not null)
        {
            messages.AddRange(FanoutMessages.ForChange(CustomerId, now, previous, Current(), causedBy: stripeEvent.Id));
        }

        LogApplied(stripeEvent.Id, stripeEvent.Type, state.State.Access, state.State.Version, previous is not null);
        return decision;
    }

    /// <inheritdoc/>
    public ValueTask<CustomerEntitlements> GetEntitlementsAsync() =>
        _stateNotDurable ? new ValueTask<CustomerEntitlements>(ReloadThenAnswerAsync()) : ValueTask.FromResult(Entitlements());

    /// <inheritdoc/>
    public async Task<CustomerEntitlements> WatchAsync(IEntitlementsObserver observer)
    {
        await EnsureDurableStateAsync();
        _watchers.Subscribe(observer, observer);
        return Entitlements();
    }

    /// <inheritdoc/>
    public Task UnwatchAsync(IEntitlementsObserver observer)
    {
        _watchers.Unsubscribe(observer);
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        await EnsureDurableStateAsync();
        await StoredOrForgottenAsync(async () =>
        {
            await (reminderName switch
            {
                GraceReminder => OnGraceReminderAsync(),
                OutboxReminder => OnOutboxReminderAsync(),
                _ => Task.CompletedTask,
            });
            return true;
        });
    }

    // Runs a change of the state. If anything fails before the change is stored (registering a reminder during a
    // membership change, the write itself), the in-memory state is marked for reload: otherwise a redelivery would
    // find its event id here and answer "duplicate" for an event that was never stored. The caller gets the
    // exception and the webhook answers 503.
    private async Task<T> StoredOrForgottenAsync<T>(Func<Task<T>> change)
    {
        try
        {
            return await change();
        }
        catch (Exception exception)
        {
            _stateNotDurable = true;
            LogChangeFailed(exception, CustomerId);
            DeactivateOnIdle();
            throw;
        }
    }

    // Stores a change with everything that must happen because of it: the grace timer is registered before the
    // write (a spare reminder is harmless, a missing one is not), the outbox is written in the same row as the
    // change, and only what is stored is published, to watchers and consumers alike.
    private async Task CommitAsync(EntitlementDecision decision, List<IFanoutMessage> messages, DateTimeOffset now)
    {
        var wasInGrace = state.State.GraceEndsAt is not null;
        await ScheduleGraceExpiryAsync(decision.GraceEndsAt, now);
        var published = Enqueue(messages);
        await EnsureOutboxReminderAsync();
        await WriteStateAsync();
        if (wasInGrace)
        {
            // Only a customer that was in grace can have a grace reminder to cancel: no reminder read per event.
            await CancelGraceExpiryUnlessInGraceAsync(decision.GraceEndsAt);
        }
        if (messages.OfType<EntitlementsChanged>().Any())
        {
            NotifyWatchers();
        }

        await PublishAsync(published);
    }

    // Two snapshots of one second that previous_attributes cannot order: the contract asks Stripe which is current.
    private async Task<string?> StatusToSettleTieAsync(StripeEvent stripeEvent)
    {
        if (stripeEvent.Subscription is not { } snapshot ||
            !state.State.Subscriptions.TryGetValue(snapshot.Id, out var current) ||
            !SnapshotOrder.NeedsStripeToDecide(current, snapshot, stripeEvent.Created))
        {
            return null;
        }

        // Connect customers are keyed acct_…/cus_…: their subscriptions live on the connected account.
        var account = CustomerId.IndexOf('/', StringComparison.Ordinal) is var slash and > 0 ? CustomerId[..slash] : null;
        return await stripe.GetStatusAsync(snapshot.Id, account);
    }

    private CustomerEntitlements Entitlements() =>
        new(CustomerId, state.State.Access, [.. state.State.Features], state.State.Version, state.State.UpdatedAt);

    private EntitlementsSnapshot Current() => new(state.State.Access, [.. state.State.Features], state.State.Version);

    // Re-derives access and features; bumps the version only when either changed, and then returns what they were.
    private (EntitlementDecision Decision, EntitlementsSnapshot? Previous) Derive(DateTimeOffset now)
    {
        var decision = EntitlementRules.Evaluate(state.State, now, options.Value);
        var current = state.State;
        if (decision.Access == current.Access && decision.Features.SequenceEqual(current.Features, StringComparer.Ordinal))
        {
            return (decision, null);
        }

        var previous = Current();
        current.Access = decision.Access;
        current.Features = [.. decision.Features];
        current.Version++;
        current.UpdatedAt = now;
        return (decision, previous);
    }

    private void NotifyWatchers()
    {
        if (_watchers.Count > 0)
        {
            var entitlements = Entitlements();
            _ = _watchers.Notify(watcher => watcher.OnEntitlementsChangedAsync(entitlements));
        }
    }

    private void PruneAppliedEvents(DateTimeOffset now)
    {
        var cutoff = (now - DedupeWindow).ToUnixTimeSeconds();
        foreach (var (eventId, appliedAt) in state.State.AppliedEvents)
        {
            if (appliedAt < cutoff)
            {
                state.State.AppliedEvents.Remove(eventId);
            }
        }
    }

    private async Task WriteStateAsync()
    {
        try
        {
            await state.WriteStateAsync();
            _acknowledgementsToStore = false;
        }
        catch (Exception exception)
        {
            LogWriteFailed(exception, CustomerId);
            throw;
        }
    }

    // Replaces an in-memory state that a failed write left behind with what storage holds; throws (so the caller
    // answers non-2xx) while storage cannot be read.
    private async Task EnsureDurableStateAsync()
    {
        if (_stateNotDurable)
        {
            await state.ReadStateAsync();
            _acknowledgementsToStore = false;
            _stateNotDurable = false;
        }
    }

    private async Task<CustomerEntitlements> ReloadThenAnswerAsync()
    {
        await EnsureDurableStateAsync();
        return Entitlements();
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Event {EventId} ({EventType}) was already applied")]
    private partial void LogDuplicate(string eventId, string eventType);

    // Debug: one line per event costs more than the event itself at load; metrics and traces carry the record.
    [LoggerMessage(Level = LogLevel.Debug,
        Message = "Applied event {EventId} ({EventType}): access {Access}, version {Version}, changed {Changed}")]
    private partial void LogApplied(string eventId, string eventType, AccessState access, long version, bool changed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not store the state of customer {CustomerId}")]
    private partial void LogWriteFailed(Exception exception, string customerId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A change of customer {CustomerId} failed before it was stored; reloading the stored state")]
    private partial void LogChangeFailed(Exception exception, string customerId);
}
