using Billing.Grains.Journal;
using Billing.Journal;
using Microsoft.Extensions.Options;

namespace Billing.Silo.Hosting;

/// <summary>
/// Keeps the cluster's one journal sweeper (<see cref="IJournalMaintenanceGrain"/>) running: every sweep interval each
/// silo asks it to run, which activates it on a live silo within one interval after its silo died (its durable
/// reminder alone would take up to a minute). A call to a running sweeper costs nothing.
/// </summary>
internal sealed partial class JournalSweeperKeeper(IGrainFactory grains, IOptions<JournalOptions> options, ILogger<JournalSweeperKeeper> logger)
    : BackgroundService
{
    private readonly TaskCompletionSource _siloActive = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The silo has joined the cluster: grains can be placed now (called by a startup task).</summary>
    public void SiloActive() => _siloActive.TrySetResult();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await _siloActive.Task.WaitAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.Value.SweepInterval);
        var failures = 0;
        do
        {
            try
            {
                await grains.GetGrain<IJournalMaintenanceGrain>(IJournalMaintenanceGrain.Key).StartAsync().WaitAsync(stoppingToken);
                failures = 0;
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // The silo is still joining, or the cluster is reshuffling: the next tick tries again.
                if (++failures % 12 == 1)
                {
                    LogNotReached(exception);
                }
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not reach the journal sweeper; trying again")]
    private partial void LogNotReached(Exception exception);
}
