using Billing.Grains.Upgrade;
using Billing.Journal;
using Microsoft.Extensions.Logging;
using Orleans.Storage;

namespace Billing.Grains.Customers;

/// <summary>
/// Loading: the journal after the snapshot that the head row names, the snapshot itself (Orleans' ADO.NET grain
/// storage, read only when the head names one: a new customer costs one query), and the event ids of the last 30
/// days make the ledger; a failed append throws the ledger away and the next call loads again. Snapshots are written
/// every <c>Billing:Journal:SnapshotEvery</c> entries, in a turn of their own, and when the grain deactivates.
/// </summary>
public sealed partial class CustomerGrain
{
    /// <summary>The snapshot's state name in grain storage (the state rows of earlier versions had the same).</summary>
    internal const string SnapshotStateName = "customer";

    private readonly GrainState<CustomerSnapshot> _snapshot = new(new CustomerSnapshot());
    private bool _snapshotRead;
    private CustomerLedger? _ledger;
    private IGrainTimer? _snapshotTimer;

    /// <inheritdoc/>
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // A journal in memory goes with the silo: a snapshot written while it stops would be lost with it (and its
        // memory storage is already stopping).
        var pointless = !journal.Durable && reason.ReasonCode == DeactivationReasonCode.ShuttingDown;
        if (_ledger is { } ledger && ledger.JournalVersion > ledger.SnapshotVersion && !pointless)
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

        // Gateways that cache this customer learn its next change will come from another silo's feed.
        feed.Depart(CustomerId);
        await base.OnDeactivateAsync(reason, cancellationToken);
    }

    private async ValueTask<CustomerLedger> LedgerAsync()
    {
        if (_ledger is null)
        {
            _ledger = await LoadAsync();
            IndexRisk(_ledger, activating: true);
        }

        return _ledger;
    }

    // An append did not go through: what this activation folded may not be stored. The next call loads from storage.
    private void Forget() => _ledger = null;

    private async Task<CustomerLedger> LoadAsync()
    {
        var now = time.GetUtcNow();
        var recentSince = now - JournalOptions.DedupeWindow;
        var loaded = await journal.LoadLatestAsync(CustomerId, recentSince);
        var stored = loaded.After > 0 ? await ReadSnapshotAsync() : null;
        if (stored is not null && LegacyCustomerState.From(stored) is { } legacy)
        {
            stored = await CarryOverAsync(legacy, now);
            loaded = await journal.LoadAsync(CustomerId, stored.JournalVersion, recentSince);
        }

        var ledger = new CustomerLedger(CustomerId, options.Value);
        if (stored is { FoldVersion: CustomerFold.Version } && stored.JournalVersion >= loaded.After)
        {
            ledger.Restore(stored, loaded, now);
            return ledger;
        }

        if (loaded.After == 0)
        {
            ledger.Restore(null, loaded, now); // no snapshot: the whole journal (or a new customer)
            return ledger;
        }

        // The snapshot is of another fold version, or not the one the head names: fold the journal from its start.
        LogFoldChanged(CustomerId, stored?.FoldVersion ?? 0, CustomerFold.Version);
        try
        {
            ledger.Restore(null, await journal.LoadAsync(CustomerId, 0, recentSince), now);
        }
        catch (InvalidOperationException) when (stored is { FoldVersion: > 0 })
        {
            // The journal no longer reaches back to its start (pruned): fold the rest the new way from the old snapshot.
            ledger = new CustomerLedger(CustomerId, options.Value);
            ledger.Restore(stored, await journal.LoadAsync(CustomerId, stored.JournalVersion, recentSince), now);
        }

        return ledger;
    }

    private async Task<CustomerSnapshot?> ReadSnapshotAsync()
    {
        await storage.ReadStateAsync(SnapshotStateName, this.GetGrainId(), _snapshot);
        _snapshotRead = true;
        return _snapshot.RecordExists ? _snapshot.State : null;
    }

    // A state row written by a version before the journal (migrate carries every row over; this one was rewritten
    // later, by a silo of that version still running): carry it over now, after whatever the journal already holds.
    private async Task<CustomerSnapshot> CarryOverAsync(LegacyCustomerState legacy, DateTimeOffset now)
    {
        var head = await journal.HeadVersionAsync(CustomerId);
        var (append, carried) = LegacyCarryOver.Convert(CustomerId, legacy, head, now, options.Value);
        var outcome = await journal.AppendAsync(append);
        if (outcome != AppendOutcome.Appended)
        {
            throw new Journal.JournalUnavailableException($"could not carry customer {CustomerId} over to the journal ({outcome})");
        }

        _snapshot.State = carried;
        await storage.WriteStateAsync(SnapshotStateName, this.GetGrainId(), _snapshot);
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
        var snapshot = ledger.ToSnapshot(time.GetUtcNow());
        _snapshot.State = snapshot;
        try
        {
            await storage.WriteStateAsync(SnapshotStateName, this.GetGrainId(), _snapshot);
        }
        catch (InconsistentStateException) when (!_snapshotRead)
        {
            // The row exists but was never read (the head named no snapshot): learn its version, then write over it,
            // unless it is newer than ours.
            if (await ReadSnapshotAsync() is { } stored && stored.FoldVersion == CustomerFold.Version && stored.JournalVersion > snapshot.JournalVersion)
            {
                return;
            }

            _snapshot.State = snapshot;
            await WriteAnewAsync();
        }

        ledger.SnapshotStored(snapshot.JournalVersion);
    }

    private async Task WriteAnewAsync()
    {
        try
        {
            await storage.WriteStateAsync(SnapshotStateName, this.GetGrainId(), _snapshot);
        }
        catch (InconsistentStateException)
        {
            // Another activation wrote a snapshot meanwhile: this one is stale and must not write again.
            Forget();
            DeactivateOnIdle();
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not store a snapshot of customer {CustomerId}; its journal holds everything")]
    private partial void LogSnapshotFailed(Exception exception, string customerId);

    [LoggerMessage(Level = LogLevel.Information, Message = "The snapshot of customer {CustomerId} is of fold version {Stored}, not {Current}, or not the one its head names: folding the journal again")]
    private partial void LogFoldChanged(string customerId, int stored, int current);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Customer {CustomerId} had a state row of an earlier version: carried over to the journal at version {Version}")]
    private partial void LogCarriedOver(string customerId, long version);
}
