namespace Billing.Silo.Hosting;

/// <summary>
/// Something every silo does periodically once it has joined the cluster (keep a cluster-wide grain running, poke a
/// scheduler): waits for the silo to be active, then calls <see cref="TickAsync"/> every <see cref="Interval"/>,
/// logging failures only now and then (a silo still joining, a cluster reshuffling).
/// </summary>
internal abstract partial class SiloKeeper(ILogger logger) : BackgroundService
{
    private readonly TaskCompletionSource _siloActive = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>How often to tick.</summary>
    protected abstract TimeSpan Interval { get; }

    /// <summary>The silo has joined the cluster: grains can be placed now (called by a startup task).</summary>
    public void SiloActive() => _siloActive.TrySetResult();

    /// <summary>One tick's work.</summary>
    protected abstract Task TickAsync(CancellationToken cancellationToken);

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

        using var timer = new PeriodicTimer(Interval);
        var failures = 0;
        do
        {
            try
            {
                await TickAsync(stoppingToken).WaitAsync(stoppingToken);
                failures = 0;
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // The silo is still joining, or the cluster is reshuffling: the next tick tries again.
                if (++failures % 12 == 1)
                {
                    LogTickFailed(exception, GetType().Name);
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

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Keeper} could not reach its grain; trying again")]
    private partial void LogTickFailed(Exception exception, string keeper);
}
