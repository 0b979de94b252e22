using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Billing.Outbound;

/// <summary>
/// Every silo purges, now and then, the dead letters older than <c>Billing:Outbound:DeadLetterRetention</c>
/// (<see cref="OutboundDelivery.PurgeDeadLettersAsync"/>): a bounded number of rows per run, the oldest first; silos
/// side by side skip each other's rows. Every quarter of the retention, at most hourly. An in-memory store is purged
/// by the process that holds it.
/// </summary>
public sealed partial class DeadLetterPurge(
    OutboundDelivery delivery,
    IOptions<OutboundOptions> options,
    TimeProvider time,
    ILogger<DeadLetterPurge> logger) : BackgroundService
{
    private static readonly TimeSpan LongestInterval = TimeSpan.FromHours(1);
    private static readonly TimeSpan ShortestInterval = TimeSpan.FromSeconds(1);

    /// <summary>How often the purge runs for a retention of <paramref name="retention"/>.</summary>
    public static TimeSpan IntervalFor(TimeSpan retention) =>
        TimeSpan.FromTicks(Math.Clamp(retention.Ticks / 4, ShortestInterval.Ticks, LongestInterval.Ticks));

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(IntervalFor(options.Value.DeadLetterRetention), time);
        try
        {
            do
            {
                try
                {
                    await delivery.PurgeDeadLettersAsync(cancellationToken: stoppingToken);
                }
                catch (Exception exception) when (exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    // The database may be down: the next run tries again.
                    LogPurgeFailed(exception);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The dead-letter purge failed; trying again at the next run")]
    private partial void LogPurgeFailed(Exception exception);
}
