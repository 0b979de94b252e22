using Billing.Grains.Entitlements;
using Billing.Grains.Events;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Utilities;

namespace Billing.Grains.Customers;

/// <summary>
/// One Stripe customer. Not reentrant: Orleans runs one call at a time, so "already applied?" and "apply" can
/// never interleave for two deliveries of the same event.
/// </summary>
public sealed partial class CustomerGrain(
    [PersistentState(stateName: "customer", storageName: Constants.StorageName)] IPersistentState<CustomerState> state,
    IOptions<BillingOptions> options,
    TimeProvider time,
    ILogger<CustomerGrain> logger) : Grain, ICustomerGrain, IRemindable
{
    /// <summary>The durable timer that suspends access when a grace period runs out with no new event.</summary>
    internal const string GraceReminder = "grace-expiry";

    private readonly ObserverManager<IEntitlementsObserver> _watchers = new(3 * ICustomerGrain.WatchRenewal, logger);

    // Orleans' smallest reminder period: if a tick is missed (no silo up at the due time) the next one catches up.
    private static readonly TimeSpan GraceReminderPeriod = TimeSpan.FromMinutes(1);

    /// <summary>How long an applied event id is remembered: Stripe retries for 3 days; the contract asks for 30.</summary>
    internal static readonly TimeSpan DedupeWindow = TimeSpan.FromDays(30);

    /// <inheritdoc/>
    public async Task<ApplyStatus> ApplyAsync(StripeEvent stripeEvent)
    {
        ArgumentNullException.ThrowIfNull(stripeEvent);
        if (state.State.AppliedEvents.ContainsKey(stripeEvent.Id))
        {
            LogDuplicate(stripeEvent.Id, stripeEvent.Type);
            return ApplyStatus.Duplicate;
        }

        var now = time.GetUtcNow();
        state.State.AppliedEvents[stripeEvent.Id] = now.ToUnixTimeSeconds();
        StripeEventApplier.Apply(state.State, stripeEvent);
        PruneAppliedEvents(now);
        var (decision, changed) = Derive(now);

        await ScheduleGraceExpiryAsync(decision.GraceEndsAt, now);
        await WriteStateAsync();
        await CancelGraceExpiryUnlessInGraceAsync(decision.GraceEndsAt);
        NotifyWatchers(changed);
        LogApplied(stripeEvent.Id, stripeEvent.Type, state.State.Access, state.State.Version, changed);
        return ApplyStatus.Applied;
    }

    /// <summary>The grace period may have run out: re-derive access now, with no new event.</summary>
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != GraceReminder)
        {
            return;
        }

        var now = time.GetUtcNow();
        var (decision, changed) = Derive(now);
        if (changed)
        {
            await WriteStateAsync();
            NotifyWatchers(changed);
            LogGraceExpired(this.GetPrimaryKeyString(), state.State.Access, state.State.Version);
        }

        await CancelGraceExpiryUnlessInGraceAsync(decision.GraceEndsAt);
    }

    /// <inheritdoc/>
    public ValueTask<CustomerEntitlements> GetEntitlementsAsync() => ValueTask.FromResult(Entitlements());

    /// <inheritdoc/>
    public Task<CustomerEntitlements> WatchAsync(IEntitlementsObserver observer)
    {
        _watchers.Subscribe(observer, observer);
        return Task.FromResult(Entitlements());
    }

    /// <inheritdoc/>
    public Task UnwatchAsync(IEntitlementsObserver observer)
    {
        _watchers.Unsubscribe(observer);
        return Task.CompletedTask;
    }

    private CustomerEntitlements Entitlements() =>
        new(this.GetPrimaryKeyString(), state.State.Access, [.. state.State.Features], state.State.Version, state.State.UpdatedAt);

    // After the change is stored, never before: a watcher must not see what a failed write did not keep.
    private void NotifyWatchers(bool changed)
    {
        if (changed && _watchers.Count > 0)
        {
            var entitlements = Entitlements();
            _ = _watchers.Notify(watcher => watcher.OnEntitlementsChangedAsync(entitlements));
        }
    }

    // Re-derives access and features; bumps the version only when either changed.
    private (EntitlementDecision Decision, bool Changed) Derive(DateTimeOffset now)
    {
        var decision = EntitlementRules.Evaluate(state.State, now, options.Value);
        var current = state.State;
        if (decision.Access == current.Access && decision.Features.SequenceEqual(current.Features, StringComparer.Ordinal))
        {
            return (decision, false);
        }

        current.Access = decision.Access;
        current.Features = [.. decision.Features];
        current.Version++;
        current.UpdatedAt = now;
        return (decision, true);
    }

    // Registered before the state write that puts the customer in grace: a reminder without that write is
    // harmless (it re-derives, finds nothing to do and cancels itself); a write without the reminder is not.
    private async Task ScheduleGraceExpiryAsync(DateTimeOffset? graceEndsAt, DateTimeOffset now)
    {
        if (graceEndsAt is { } endsAt && graceEndsAt != state.State.GraceEndsAt)
        {
            var dueTime = endsAt - now > TimeSpan.FromSeconds(1) ? endsAt - now : TimeSpan.FromSeconds(1);
            await this.RegisterOrUpdateReminder(GraceReminder, dueTime, GraceReminderPeriod);
        }

        state.State.GraceEndsAt = graceEndsAt;
    }

    // Cancelled only after the write that ends the grace is stored, for the same reason.
    private async Task CancelGraceExpiryUnlessInGraceAsync(DateTimeOffset? graceEndsAt)
    {
        if (graceEndsAt is null && await this.GetReminder(GraceReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
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
        }
        catch (Exception exception)
        {
            // The in-memory state now holds a change that is not stored. Drop this activation so the next call
            // reloads what is durable; the caller gets the exception and the webhook answers 503.
            LogWriteFailed(exception, this.GetPrimaryKeyString());
            DeactivateOnIdle();
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Event {EventId} ({EventType}) was already applied")]
    private partial void LogDuplicate(string eventId, string eventType);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Applied event {EventId} ({EventType}): access {Access}, version {Version}, changed {Changed}")]
    private partial void LogApplied(string eventId, string eventType, AccessState access, long version, bool changed);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Grace period of customer {CustomerId} ran out: access {Access}, version {Version}")]
    private partial void LogGraceExpired(string customerId, AccessState access, long version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not store the state of customer {CustomerId}")]
    private partial void LogWriteFailed(Exception exception, string customerId);
}
