using Billing.Grains.Entitlements;
using Billing.Grains.Events;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Billing.Grains.Customers;

/// <summary>
/// One Stripe customer. Not reentrant: Orleans runs one call at a time, so "already applied?" and "apply" can
/// never interleave for two deliveries of the same event.
/// </summary>
public sealed partial class CustomerGrain(
    [PersistentState(stateName: "customer", storageName: Constants.StorageName)] IPersistentState<CustomerState> state,
    IOptions<BillingOptions> options,
    TimeProvider time,
    ILogger<CustomerGrain> logger) : Grain, ICustomerGrain
{
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
        var changed = Derive(now);

        await WriteStateAsync();
        LogApplied(stripeEvent.Id, stripeEvent.Type, state.State.Access, state.State.Version, changed);
        return ApplyStatus.Applied;
    }

    /// <inheritdoc/>
    public ValueTask<CustomerEntitlements> GetEntitlementsAsync() => ValueTask.FromResult(
        new CustomerEntitlements(this.GetPrimaryKeyString(), state.State.Access, [.. state.State.Features],
            state.State.Version, state.State.UpdatedAt));

    // Re-derives access and features; bumps the version only when either changed.
    private bool Derive(DateTimeOffset now)
    {
        var decision = EntitlementRules.Evaluate(state.State, now, options.Value);
        var current = state.State;
        if (decision.Access == current.Access && decision.Features.SequenceEqual(current.Features, StringComparer.Ordinal))
        {
            return false;
        }

        current.Access = decision.Access;
        current.Features = [.. decision.Features];
        current.Version++;
        current.UpdatedAt = now;
        return true;
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not store the state of customer {CustomerId}")]
    private partial void LogWriteFailed(Exception exception, string customerId);
}
