using Billing.Grains.Journal;
using Microsoft.Extensions.Logging;

namespace Billing.Grains.Customers;

/// <summary>
/// The grace timer. Each append records in the customer's head row when grace runs out; the journal's sweeper
/// (<see cref="IJournalMaintenanceGrain"/>) finds heads that are due and calls <see cref="ExpireGraceAsync"/>, which
/// journals the transition as an entry of its own (<c>billing.grace_expired</c>, source <c>timer</c>). Durable
/// because the head row is; no reminder per customer.
/// </summary>
public sealed partial class CustomerGrain
{
    /// <summary>The type of the timer's journal entry.</summary>
    public const string GraceExpiredType = "billing.grace_expired";

    /// <inheritdoc/>
    public async Task ExpireGraceAsync()
    {
        var ledger = await LedgerAsync();
        var now = time.GetUtcNow();
        if (ledger.State.GraceEndsAt is not { } endsAt || endsAt > now)
        {
            return; // paid meanwhile, or not due yet
        }

        var entry = ledger.Apply($"billing_timer_{ledger.JournalVersion + 1}", GraceExpiredType, JournalSource.Timer, endsAt, new EventFacts(), now);
        await AppendAsync(ledger, [entry]);
        LogGraceExpired(CustomerId, entry.Entry.Effects.Access, entry.Entry.Effects.Version);
    }

    /// <inheritdoc/>
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        // Versions before the journal registered per-customer reminders (grace expiry, outbox redelivery); the head row
        // and the sweeper do both jobs now. migrate deletes them; one registered later by an old silo ends here.
        if (await this.GetReminder(reminderName) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }

        await ExpireGraceAsync();
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Grace period of customer {CustomerId} ran out: access {Access}, version {Version}")]
    private partial void LogGraceExpired(string customerId, AccessState access, long version);
}
