using Billing.Grains.Customers;
using Billing.Grains.Fanout;
using Billing.Journal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Billing.Grains.Journal;

/// <summary>
/// The cluster's journal sweeper: one activation (key <see cref="IJournalMaintenanceGrain.Key"/>), kept alive by its
/// own timer, brought back within a sweep interval by every silo's <c>JournalSweeperKeeper</c> when its silo dies, and
/// by a durable reminder should every silo have restarted. Every <c>Billing:Journal:SweepInterval</c>
/// it wakes customers whose grace period is due (the durable timer of the contract) and consumers whose cursor is
/// behind a quiet journal (a stream item lost with a silo, a receiver that was down); every
/// <c>Billing:Journal:PruneInterval</c> it prunes history older than the retention, a bounded slice at a time.
/// Its queries read the head rows and cursors only, never the journal itself.
/// </summary>
public sealed partial class JournalMaintenanceGrain(
    IJournalStore journal,
    IOptions<JournalOptions> options,
    TimeProvider time,
    ILogger<JournalMaintenanceGrain> logger) : Grain, IJournalMaintenanceGrain, IRemindable
{
    private const string KeepAlive = "journal-maintenance";
    private const int PokesPerSweep = 500;
    private const int PruneSlice = 1_000;
    private static readonly TimeSpan PokeTimeout = TimeSpan.FromSeconds(2);

    private IGrainTimer? _timer;
    private bool _reminderRegistered;
    private DateTimeOffset _nextPrune = DateTimeOffset.MinValue;
    private string? _pruneFrom;

    /// <inheritdoc/>
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        StartTimer();
        return base.OnActivateAsync(cancellationToken);
    }

    /// <inheritdoc/>
    public async Task StartAsync()
    {
        if (!_reminderRegistered)
        {
            if (await this.GetReminder(KeepAlive) is null)
            {
                await this.RegisterOrUpdateReminder(KeepAlive, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
            }

            _reminderRegistered = true;
        }
    }

    /// <inheritdoc/>
    public Task ReceiveReminder(string reminderName, TickStatus status) => Task.CompletedTask; // activating was the point

    /// <inheritdoc/>
    public async Task<int> SweepAsync()
    {
        var now = time.GetUtcNow();
        var due = await journal.FindDueGracesAsync(now, PokesPerSweep);
        var lagging = await journal.FindLaggingConsumersAsync(now - options.Value.LagAfter, PokesPerSweep);
        var pokes = due.Select(customer => Poke(GrainFactory.GetGrain<ICustomerGrain>(customer).ExpireGraceAsync()))
            .Concat(lagging.Select(consumer => Poke(Consumer(consumer).CatchUpAsync())));
        await Task.WhenAll(pokes);
        if (due.Count + lagging.Count > 0)
        {
            LogSwept(due.Count, lagging.Count);
        }

        return due.Count + lagging.Count;
    }

    private void StartTimer() =>
        _timer ??= this.RegisterGrainTimer(TickAsync,
            new GrainTimerCreationOptions(options.Value.SweepInterval, options.Value.SweepInterval) { KeepAlive = true });

    private async Task TickAsync(CancellationToken cancellationToken)
    {
        try
        {
            await SweepAsync();
            if (time.GetUtcNow() >= _nextPrune)
            {
                await PruneAsync(cancellationToken);
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The database may be down: the next tick tries again.
            LogSweepFailed(exception);
        }
    }

    // A bounded slice per tick; once every customer has been looked at, rest until the next interval.
    private async Task PruneAsync(CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow() - options.Value.EffectiveRetention;
        var budget = options.Value.PruneCustomersPerRun;
        long deleted = 0;
        while (budget > 0)
        {
            var result = await journal.PruneAsync(_pruneFrom, Math.Min(PruneSlice, budget), cutoff, cancellationToken);
            deleted += result.DeletedEntries;
            budget -= result.Customers;
            _pruneFrom = result.LastCustomerId;
            if (_pruneFrom is null)
            {
                _nextPrune = time.GetUtcNow() + options.Value.PruneInterval;
                break;
            }
        }

        if (deleted > 0)
        {
            LogPruned(deleted, cutoff);
        }
    }

    private IFanoutConsumer Consumer(LaggingConsumer lagging) => lagging.Consumer == FanoutStreams.Fulfillment
        ? GrainFactory.GetGrain<IFulfillmentGrain>(lagging.CustomerId)
        : GrainFactory.GetGrain<INotificationGrain>(lagging.CustomerId);

    // A poke only starts the work: a slow receiver must not hold up the sweep, and a failed poke is repeated next time.
    private async Task Poke(Task call)
    {
        try
        {
            await call.WaitAsync(PokeTimeout);
        }
        catch (Exception exception)
        {
            LogPokeFailed(exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Journal sweep: {Due} grace period(s) due, {Lagging} consumer(s) behind")]
    private partial void LogSwept(int due, int lagging);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The journal sweep failed; trying again at the next tick")]
    private partial void LogSweepFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "A poke from the journal sweep did not finish in time; the work goes on or is retried")]
    private partial void LogPokeFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pruned {Deleted} journal entries recorded before {Cutoff}")]
    private partial void LogPruned(long deleted, DateTimeOffset cutoff);
}
