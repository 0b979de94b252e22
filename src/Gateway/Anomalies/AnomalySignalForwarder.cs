using System.Collections.Immutable;
using System.Threading.Channels;
using Billing.Grains.Anomalies;
using Billing.Insights;

namespace Billing.Gateway.Anomalies;

/// <summary>
/// Hands the signals read from verified webhooks to their account's detector grain, in batches, off the webhook's
/// path: the webhook only enqueues (a detector call per event would double the hottest path's grain calls). Each
/// second, or sooner once a batch is full, one call per account carries what arrived. A call that fails is retried a
/// few times and then dropped with a warning: detection is statistical, and a lost second of counting skews a
/// window by less than its own noise; the webhook's answer to Stripe never depends on it.
/// </summary>
public sealed partial class AnomalySignalForwarder(IClusterClient cluster, ILogger<AnomalySignalForwarder> logger) : BackgroundService
{
    private const int Capacity = 50_000;
    private const int MaxBatch = 2_000;
    private static readonly TimeSpan Gather = TimeSpan.FromSeconds(1);

    private readonly Channel<SignalObservation> _queue = Channel.CreateBounded<SignalObservation>(
        new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    private long _dropped;

    /// <summary>Queues a signal; false (and counted) when the queue is full because the detectors cannot keep up.</summary>
    public bool Offer(SignalObservation observation)
    {
        if (_queue.Writer.TryWrite(observation))
        {
            return true;
        }

        Interlocked.Increment(ref _dropped);
        return false;
    }

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<SignalObservation>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync(stoppingToken))
        {
            // Gather for a moment: a burst (the case that matters) then goes in few calls.
            using (var gathering = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken))
            {
                gathering.CancelAfter(Gather);
                try
                {
                    while (batch.Count < MaxBatch && await _queue.Reader.WaitToReadAsync(gathering.Token))
                    {
                        while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var observation))
                        {
                            batch.Add(observation);
                        }
                    }
                }
                catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                {
                    // the second is over: send what was gathered
                }
            }

            await Task.WhenAll(batch.GroupBy(o => o.Account, StringComparer.Ordinal).Select(account => SendAsync(account.Key, [.. account])));
            batch.Clear();
            if (Interlocked.Exchange(ref _dropped, 0) is var dropped and > 0)
            {
                LogDropped(logger, dropped);
            }
        }
    }

    private async Task SendAsync(string account, ImmutableArray<SignalObservation> observations)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await cluster.GetGrain<IAnomalyDetectorGrain>(account).ObserveAsync(observations);
                return;
            }
            catch (Exception exception) when (attempt < 3)
            {
                LogRetrying(logger, exception, account, attempt);
                await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt));
            }
            catch (Exception exception)
            {
                LogLost(logger, exception, observations.Length, account);
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Anomaly signals for {Account}: attempt {Attempt} failed; retrying")]
    private static partial void LogRetrying(ILogger logger, Exception exception, string account, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dropped {Count} anomaly signals of {Account}: its detector did not answer")]
    private static partial void LogLost(ILogger logger, Exception exception, int count, string account);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dropped {Count} anomaly signals: the queue to the detectors was full")]
    private static partial void LogDropped(ILogger logger, long count);
}
