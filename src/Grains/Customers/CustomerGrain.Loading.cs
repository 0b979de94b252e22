using Billing.Grains.Upgrade;
using Billing.Journal;
using Microsoft.Extensions.Logging;

namespace Billing.Grains.Customers;

/// <summary>
/// Loading: the snapshot (read by Orleans at activation) plus the journal after it plus the event ids of the last 30
/// days make the ledger; a failed append throws the ledger away and the next call loads again. Snapshots are written
/// every <c>Billing:Journal:SnapshotEvery</c> entries, in a turn of their own, and when the grain deactivates.
/// </summary>
public sealed partial class CustomerGrain
{
    private CustomerLedger? _ledger;
    private bool _snapshotMayBeStale;
    private IGrainTimer? _snapshotTimer;

    /// <inheritdoc/>
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_ledger is { } ledger && ledger.JournalVersion > ledger.SnapshotVersion)
        {
            try
            {
                await WriteSnapshotAsync(ledger);
                await journal.MarkSnapshotAsync(CustomerId, ledger.SnapshotVersion, cancellationToken);
            }
            catch (Exception exception)
            {
                // Harmless: the journal holds everything; the next activation folds a longer tail.
                LogSnapshotFailed(exception, CustomerId);
            }
        }

        await base.OnDeactivateAsync(reason, cancellationToken);
    }

    private async ValueTask<CustomerLedger> LedgerAsync() => _ledger ??= await LoadAsync();

    // An append did not go through: what this activation folded may not be stored. The next call loads from storage.
    private void Forget()
    {
        _ledger = null;
        _snapshotMayBeStale = true;
    }

    private async Task<CustomerLedger> LoadAsync()
    {
        if (_snapshotMayBeStale)
        {
            // Another activation may have written a newer snapshot since Orleans read this one.
            await snapshot.ReadStateAsync();
            _snapshotMayBeStale = false;
        }

        var now = time.GetUtcNow();
        var stored = snapshot.State;
        if (LegacyCustomerState.From(stored) is { } legacy)
        {
            stored = await CarryOverAsync(legacy, now);
        }

        var recentSince = now - JournalOptions.DedupeWindow;
        var current = stored.FoldVersion == CustomerFold.Version ? stored : null;
        if (current is null && stored.FoldVersion != 0)
        {
            LogFoldChanged(CustomerId, stored.FoldVersion, CustomerFold.Version);
        }

        var ledger = new CustomerLedger(CustomerId, options.Value);
        try
        {
            ledger.Restore(current, await journal.LoadAsync(CustomerId, current?.JournalVersion ?? 0, recentSince), now);
        }
        catch (InvalidOperationException) when (current is null && stored.FoldVersion != 0)
        {
            // The journal no longer reaches back to its start (pruned): fold the rest the new way from the old snapshot.
            ledger = new CustomerLedger(CustomerId, options.Value);
            ledger.Restore(stored, await journal.LoadAsync(CustomerId, stored.JournalVersion, recentSince), now);
        }

        return ledger;
    }

    // A state row written by a version before the journal (migrate carries every row over; this one was written
    // later, by a silo of that version still running): carry it over now, after whatever the journal already holds.
    private async Task<CustomerSnapshot> CarryOverAsync(LegacyCustomerState legacy, DateTimeOffset now)
    {
        var head = await journal.HeadVersionAsync(CustomerId);
        var (append, carried) = LegacyCarryOver.Convert(CustomerId, legacy, head, now, options.Value);
        var outcome = await journal.AppendAsync(append);
        if (outcome != AppendOutcome.Appended)
        {
            _snapshotMayBeStale = true;
            throw new Journal.JournalUnavailableException($"could not carry customer {CustomerId} over to the journal ({outcome})");
        }

        snapshot.State = carried;
        await snapshot.WriteStateAsync();
        LogCarriedOver(CustomerId, append.Entries[0].Version);
        return carried;
    }

    private void ScheduleSnapshotIfDue(CustomerLedger ledger)
    {
        if (_snapshotTimer is not null || ledger.JournalVersion - ledger.SnapshotVersion < journalOptions.Value.SnapshotEvery)
        {
            return;
        }

        // A turn of its own, so no webhook waits for it; the next append tells the head it is stored.
        _snapshotTimer = this.RegisterGrainTimer(async _ =>
        {
            _snapshotTimer?.Dispose();
            _snapshotTimer = null;
            if (_ledger is { } current)
            {
                try
                {
                    await WriteSnapshotAsync(current);
                }
                catch (Exception exception)
                {
                    LogSnapshotFailed(exception, CustomerId);
                }
            }
        }, new GrainTimerCreationOptions(TimeSpan.Zero, Timeout.InfiniteTimeSpan));
    }

    private async Task WriteSnapshotAsync(CustomerLedger ledger)
    {
        snapshot.State = ledger.ToSnapshot(time.GetUtcNow());
        try
        {
            await snapshot.WriteStateAsync();
        }
        catch (Orleans.Storage.InconsistentStateException)
        {
            // Another activation wrote a snapshot: this one is stale and must not write again.
            Forget();
            DeactivateOnIdle();
            throw;
        }

        ledger.SnapshotStored(ledger.JournalVersion);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not store a snapshot of customer {CustomerId}; its journal holds everything")]
    private partial void LogSnapshotFailed(Exception exception, string customerId);

    [LoggerMessage(Level = LogLevel.Information, Message = "The snapshot of customer {CustomerId} is of fold version {Stored}, not {Current}: folding the journal again")]
    private partial void LogFoldChanged(string customerId, int stored, int current);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Customer {CustomerId} had a state row of an earlier version: carried over to the journal at version {Version}")]
    private partial void LogCarriedOver(string customerId, long version);
}
