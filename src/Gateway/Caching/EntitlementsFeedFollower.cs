using System.Collections.Concurrent;
using Billing.Grains.Changes;
using Microsoft.Extensions.Options;
using Orleans.Runtime;

namespace Billing.Gateway.Caching;

/// <summary>
/// Follows every silo's feed of entitlement changes for the near-cache (docs/adr/0010): subscribes to each active silo's
/// feed (renewing a few times a minute: cost per silo, not per customer), hands changes to the cache, and notices what it
/// may have missed. A batch whose number skips one, a feed silent for longer than <see cref="EntitlementsCacheOptions.SilenceTimeout"/>,
/// or a silo that left: the cache treats every customer it knew from that feed as unknown (read from the grain again).
/// </summary>
public sealed partial class EntitlementsFeedFollower(
    IClusterClient cluster,
    IOptions<EntitlementsCacheOptions> options,
    TimeProvider time,
    ILogger<EntitlementsFeedFollower> logger) : BackgroundService, IEntitlementsFeedObserver
{
    private static readonly TimeSpan Renewal = IEntitlementsFeedGrain.SubscriptionLifetime / 3;

    private readonly ConcurrentDictionary<string, FeedState> _feeds = new(StringComparer.Ordinal);
    private IEntitlementsFeedObserver? _reference;

    /// <summary>Changes to apply, and feeds whose customers must be read again (set by the cache).</summary>
    internal IFeedSink? Sink { get; set; }

    /// <summary>Tests only: drops a batch before it is looked at, as a lost message would be.</summary>
    internal Func<EntitlementsFeedBatch, bool>? Drop { get; set; }

    /// <summary>Whether <paramref name="source"/> is followed and in step: a read tagged with it may be cached.</summary>
    public bool InStep(string source) => _feeds.TryGetValue(source, out var feed) && feed.InStep;

    /// <inheritdoc/>
    public Task OnChangesAsync(EntitlementsFeedBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (Drop?.Invoke(batch) == true || !_feeds.TryGetValue(batch.Source, out var feed))
        {
            return Task.CompletedTask;
        }

        bool gap;
        lock (feed)
        {
            feed.HeardAt = time.GetTimestamp();
            var expected = batch.Changes.Length + batch.Departed.Length == 0 ? feed.Sequence : feed.Sequence + 1;
            gap = batch.Sequence != expected && batch.Sequence > feed.Sequence;
            if (batch.Sequence < expected && batch.Changes.Length + batch.Departed.Length > 0)
            {
                return Task.CompletedTask; // an old batch delivered late: its changes are older than what was applied
            }

            feed.Sequence = Math.Max(feed.Sequence, batch.Sequence);
            feed.InStep = true;
        }

        if (gap)
        {
            LogGap(batch.Source);
            Sink?.Forget(batch.Source);
        }

        Sink?.Apply(batch);
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _reference = cluster.CreateObjectReference<IEntitlementsFeedObserver>(this);
        var check = options.Value.SilenceTimeout / 2;
        using var timer = new PeriodicTimer(check, time);
        var lastScan = long.MinValue;
        try
        {
            do
            {
                try
                {
                    if (lastScan == long.MinValue || time.GetElapsedTime(lastScan) >= Renewal)
                    {
                        lastScan = time.GetTimestamp();
                        await FollowSilosAsync(stoppingToken);
                    }

                    await CheckSilenceAsync();
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    // The cluster is unreachable for now: entries age out of step (silence) and are read from grains.
                    LogFollowFailed(exception);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            cluster.DeleteObjectReference<IEntitlementsFeedObserver>(_reference);
        }
    }

    // Subscribes to every active silo's feed (new ones at once, known ones renewed) and forgets silos that left.
    private async Task FollowSilosAsync(CancellationToken cancellationToken)
    {
        var hosts = await cluster.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true, cancellationToken);
        var active = hosts.Keys.Select(silo => silo.ToParsableString()).ToHashSet(StringComparer.Ordinal);
        foreach (var gone in _feeds.Keys.Where(source => !active.Contains(source)).ToList())
        {
            Leave(gone);
        }

        await Task.WhenAll(active.Select(source => SubscribeAsync(source, cancellationToken)));
    }

    private async Task SubscribeAsync(string source, CancellationToken cancellationToken)
    {
        var feed = _feeds.GetOrAdd(source, _ => new FeedState());
        try
        {
            var sequence = await cluster.GetGrain<IEntitlementsFeedGrain>(source).SubscribeAsync(_reference!).WaitAsync(cancellationToken);
            lock (feed)
            {
                if (!feed.InStep)
                {
                    // (Re)joining: what was cached from this feed before may have missed changes; from here on it is in step.
                    feed.Sequence = sequence;
                    feed.HeardAt = time.GetTimestamp();
                    feed.InStep = true;
                    Sink?.Forget(source);
                }
            }
        }
        catch (EntitlementsFeedGoneException)
        {
            Leave(source);
        }
    }

    // A feed not heard from (no batch, no heartbeat) for the silence timeout is out of step until it speaks again.
    private Task CheckSilenceAsync()
    {
        foreach (var (source, feed) in _feeds)
        {
            bool silent;
            lock (feed)
            {
                silent = feed.InStep && time.GetElapsedTime(feed.HeardAt) > options.Value.SilenceTimeout;
                if (silent)
                {
                    feed.InStep = false;
                }
            }

            if (silent)
            {
                LogSilent(source);
                Sink?.Forget(source);
                _ = SubscribeAsync(source, CancellationToken.None);
            }
        }

        return Task.CompletedTask;
    }

    private void Leave(string source)
    {
        if (_feeds.TryRemove(source, out _))
        {
            LogLeft(source);
            Sink?.Forget(source);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Entitlements feed {Source} skipped a batch: its customers are read from their grains again")]
    private partial void LogGap(string source);

    [LoggerMessage(Level = LogLevel.Information, Message = "Entitlements feed {Source} went silent: its customers are read from their grains until it speaks")]
    private partial void LogSilent(string source);

    [LoggerMessage(Level = LogLevel.Information, Message = "The silo of entitlements feed {Source} left: its customers are read from their grains again")]
    private partial void LogLeft(string source);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not follow the silos' entitlements feeds; trying again")]
    private partial void LogFollowFailed(Exception exception);

    private sealed class FeedState
    {
        public long Sequence { get; set; }

        public long HeardAt { get; set; }

        public bool InStep { get; set; }
    }
}

/// <summary>What the follower tells the cache.</summary>
internal interface IFeedSink
{
    /// <summary>Applies a batch's changes and departures.</summary>
    void Apply(EntitlementsFeedBatch batch);

    /// <summary>Every customer known from <paramref name="source"/> may be stale: read it from its grain again.</summary>
    void Forget(string source);
}
