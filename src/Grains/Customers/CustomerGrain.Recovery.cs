using Billing.Grains.Journal;
using Billing.Grains.Recovery;
using Microsoft.Extensions.Logging;

namespace Billing.Grains.Customers;

/// <summary>What recovery asks of a customer: imports, comparisons with Stripe's objects, and replays.</summary>
public sealed partial class CustomerGrain
{
    /// <inheritdoc/>
    public async Task<ReconcileOutcome> ImportAsync(StripeCustomerView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var snapshots = StripeViewEvents.Import(view);
        if (snapshots.IsEmpty)
        {
            return new ReconcileOutcome(null, 0);
        }

        var result = await ApplyFromAsync(snapshots, JournalSource.Import);
        return new ReconcileOutcome(null, result.Statuses.Count(s => s == ApplyStatus.Applied));
    }

    /// <inheritdoc/>
    public async Task<ReconcileOutcome> ReconcileAsync(StripeCustomerView view, bool repair)
    {
        ArgumentNullException.ThrowIfNull(view);
        var ledger = await LedgerAsync();
        var now = time.GetUtcNow();
        if (StripeViewEvents.Compare(ledger.State, view, now, options.Value) is not var (billing, stripe, repairs))
        {
            return new ReconcileOutcome(null, 0);
        }

        var applied = 0;
        if (repair)
        {
            var result = await ApplyFromAsync(repairs, JournalSource.Reconcile);
            applied = result.Statuses.Count(s => s == ApplyStatus.Applied);
            LogRepaired(CustomerId, applied);
        }

        return new ReconcileOutcome(new DriftRecord(CustomerId, now, billing, stripe, repair), applied);
    }

    /// <inheritdoc/>
    public async Task<ApplyResult?> ReplayAsync(string eventId)
    {
        ArgumentException.ThrowIfNullOrEmpty(eventId);
        if (await journal.FindEntryAsync(CustomerId, eventId) is not { } stored ||
            FactsJson.Deserialize(stored.Facts).Event is not { } stripeEvent)
        {
            return null;
        }

        // A new entry of its own (the journal's event ids are unique), whose facts are the stored event's: the
        // fold's ordering guards compare the event's created and id, so an old event changes nothing newer.
        var ledger = await LedgerAsync();
        var replayId = $"{eventId}:replay:{ledger.JournalVersion + 1}";
        var entry = ledger.Apply(replayId, stripeEvent.Type, JournalSource.Replay, stored.Created, new EventFacts(stripeEvent), time.GetUtcNow());
        await AppendAsync(ledger, [entry]);
        LogReplayed(eventId, CustomerId, entry.Entry.Effects.Changed);
        return new ApplyResult([ApplyStatus.Applied], Entitlements(ledger));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Repaired customer {CustomerId} from Stripe's objects ({Applied} entries)")]
    private partial void LogRepaired(string customerId, int applied);

    [LoggerMessage(Level = LogLevel.Information, Message = "Replayed event {EventId} of customer {CustomerId} (changed {Changed})")]
    private partial void LogReplayed(string eventId, string customerId, bool changed);
}
