using System.Collections.Concurrent;
using Billing.Grains.Customers;
using Billing.ServiceDefaults;
using Microsoft.Extensions.Options;

namespace Billing.Gateway.Caching;

/// <summary>
/// Entitlement reads answered from the gateway's memory, so a hot customer costs no hop to a silo (docs/adr/0006).
/// The first read of a customer subscribes this gateway to its grain, as WatchEntitlements does, and keeps the
/// answer; from then on the grain pushes every change, the webhook path offers what it has just stored (a gateway
/// reads its own writes), and every <see cref="EntitlementsCacheOptions.RefreshInterval"/> the subscription is
/// renewed and the state re-read. Pushes are not durable (a silo crash or a reactivation drops them), so the refresh
/// bounds how long a lost one can leave an answer behind; when a silo leaves the cluster every entry is
/// invalidated at once, and reads go to the grains until they are subscribed again.
/// </summary>
public sealed partial class EntitlementsCache(
    IClusterClient grains,
    IOptions<EntitlementsCacheOptions> options,
    BillingTelemetry telemetry,
    SiloDepartures departures,
    TimeProvider time,
    ILogger<EntitlementsCache> logger) : BackgroundService
{
    private static readonly KeyValuePair<string, object?> FromCache = new("source", "cache");
    private static readonly KeyValuePair<string, object?> FromGrain = new("source", "grain");

    private readonly ConcurrentDictionary<string, CachedCustomer> _customers = new(StringComparer.Ordinal);
    private readonly EntitlementsCacheOptions _options = options.Value;

    /// <summary>Customers cached now.</summary>
    public int Count => _customers.Count;

    /// <summary>What <paramref name="customerId"/> may use now: from memory when the entry is confirmed, else from its grain.</summary>
    public async ValueTask<CustomerEntitlements> GetAsync(string customerId)
    {
        if (_options.Enabled)
        {
            if (_customers.TryGetValue(customerId, out var cached) &&
                cached.TryRead(2 * _options.RefreshInterval, out var entitlements))
            {
                telemetry.EntitlementReads.Add(1, FromCache);
                return entitlements;
            }

            if (cached is not null || _customers.Count < _options.Capacity)
            {
                if (cached is null)
                {
                    // Not GetOrAdd's factory: it may run more than once, and each run creates an observer reference.
                    var created = new CachedCustomer(grains, customerId, time);
                    cached = _customers.GetOrAdd(customerId, created);
                    if (!ReferenceEquals(cached, created))
                    {
                        grains.DeleteObjectReference<IEntitlementsObserver>(created.Reference);
                    }
                }

                telemetry.EntitlementReads.Add(1, FromGrain);
                cached.MarkRead();
                return await cached.SubscribeAsync();
            }
        }

        telemetry.EntitlementReads.Add(1, FromGrain);
        return await grains.GetGrain<ICustomerGrain>(customerId).GetEntitlementsAsync();
    }

    /// <summary>Entitlements just stored by this gateway's own call: cached customers see them before the push arrives.</summary>
    public void Offer(CustomerEntitlements entitlements)
    {
        ArgumentNullException.ThrowIfNull(entitlements);
        if (_customers.TryGetValue(entitlements.CustomerId, out var cached))
        {
            cached.Offer(entitlements);
        }
    }

    /// <summary>Subscriptions may have been lost (a silo left): no entry is answered from memory until renewed.</summary>
    public void InvalidateAll()
    {
        foreach (var cached in _customers.Values)
        {
            cached.Invalidate();
        }

        LogInvalidated(_customers.Count);
    }

    // Each tick renews one slice of the entries, so a full cache is renewed once per interval in an even trickle
    // rather than in one burst that would stall the reads around it.
    private const int Slices = 10;

    /// <summary>Renews the entries of one slice that were read recently, and drops the idle ones.</summary>
    internal async Task RefreshSliceAsync(int slice, CancellationToken cancellationToken)
    {
        var now = time.GetTimestamp();
        var failures = 0;
        var entries = _customers.Where(entry => (uint)StringComparer.Ordinal.GetHashCode(entry.Key) % Slices == slice);
        await Parallel.ForEachAsync(entries, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
            async (entry, _) =>
            {
                var cached = entry.Value;
                if (time.GetElapsedTime(cached.LastRead, now) > _options.IdleTimeout)
                {
                    if (_customers.TryRemove(entry))
                    {
                        await EndAsync(cached);
                    }

                    return;
                }

                try
                {
                    await cached.SubscribeAsync();
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    // The entry ages out of TryRead; the next read or refresh subscribes again.
                    if (Interlocked.Increment(ref failures) == 1)
                    {
                        LogRefreshFailed(exception);
                    }
                }
            });
    }

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.Enabled)
        {
            return;
        }

        departures.Departed += InvalidateAll;
        using var timer = new PeriodicTimer(_options.RefreshInterval / Slices, time);
        try
        {
            for (var tick = 0; await timer.WaitForNextTickAsync(stoppingToken); tick = (tick + 1) % Slices)
            {
                await RefreshSliceAsync(tick, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            departures.Departed -= InvalidateAll;
        }
    }

    /// <inheritdoc/>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);

        // No Unwatch per customer (thousands of calls while stopping): the grains drop the lapsed subscriptions.
        foreach (var entry in _customers)
        {
            if (_customers.TryRemove(entry))
            {
                grains.DeleteObjectReference<IEntitlementsObserver>(entry.Value.Reference);
            }
        }
    }

    private async Task EndAsync(CachedCustomer cached)
    {
        try
        {
            await cached.UnsubscribeAsync().WaitAsync(TimeSpan.FromSeconds(2));
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The grain drops the subscription by itself after three missed renewals.
            LogUnsubscribeFailed(exception);
        }

        grains.DeleteObjectReference<IEntitlementsObserver>(cached.Reference);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "A silo left the cluster: {Count} cached customer(s) are read from their grains until subscribed again")]
    private partial void LogInvalidated(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not renew cached entitlements; their entries are read from the grains until renewed")]
    private partial void LogRefreshFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not end a cached customer's subscription; it lapses by itself")]
    private partial void LogUnsubscribeFailed(Exception exception);
}
