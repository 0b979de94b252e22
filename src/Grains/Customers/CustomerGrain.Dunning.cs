using Billing.Grains.Fanout;
using Microsoft.Extensions.Logging;

namespace Billing.Grains.Customers;

/// <summary>The grace timer: a durable reminder that suspends access when grace runs out with no new event.</summary>
public sealed partial class CustomerGrain
{
    /// <summary>The reminder due when the grace period ends.</summary>
    internal const string GraceReminder = "grace-expiry";

    // Orleans' smallest default reminder period: a tick missed while no silo runs is caught up at the next one.
    private static readonly TimeSpan GraceReminderPeriod = TimeSpan.FromMinutes(1);

    private async Task OnGraceReminderAsync()
    {
        var now = time.GetUtcNow();
        var (decision, previous) = Derive(now);
        if (previous is not null)
        {
            var messages = FanoutMessages.ForChange(CustomerId, now, previous, Current(), causedBy: null).ToList<IFanoutMessage>();
            await CommitAsync(decision, messages, now);
            LogGraceExpired(CustomerId, state.State.Access, state.State.Version);
        }
        else
        {
            await CancelGraceExpiryUnlessInGraceAsync(decision.GraceEndsAt);
        }
    }

    private async Task ScheduleGraceExpiryAsync(DateTimeOffset? graceEndsAt, DateTimeOffset now)
    {
        if (graceEndsAt is { } endsAt && graceEndsAt != state.State.GraceEndsAt)
        {
            var dueTime = endsAt - now > TimeSpan.FromSeconds(1) ? endsAt - now : TimeSpan.FromSeconds(1);
            await this.RegisterOrUpdateReminder(GraceReminder, dueTime, GraceReminderPeriod);
        }

        state.State.GraceEndsAt = graceEndsAt;
    }

    // Cancelled only after the write that ends the grace is stored.
    private async Task CancelGraceExpiryUnlessInGraceAsync(DateTimeOffset? graceEndsAt)
    {
        if (graceEndsAt is null && await this.GetReminder(GraceReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Grace period of customer {CustomerId} ran out: access {Access}, version {Version}")]
    private partial void LogGraceExpired(string customerId, AccessState access, long version);
}
