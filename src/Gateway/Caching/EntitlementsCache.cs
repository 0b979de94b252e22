using System.Collections.Concurrent;
using Billing.Grains.Changes;
using Billing.Grains.Customers;
using Billing.ServiceDefaults;
using Microsoft.Extensions.Options;

namespace Billing.Gateway.Caching;

/// <summary>
/// Entitlement reads answered from the gateway's memory, so a hot customer costs no hop to a silo (docs/adr/0010).
/// The first read of a customer asks its grain, which answers with the feed of the silo holding it; from then on
/// the silos' feeds (<see cref="EntitlementsFeedFollower"/>) bring every change, the webhook path offers what it has just
/// stored (a gateway reads its own writes), and nothing is renewed: a customer that does not change costs nothing,
/// and its grain may deactivate. When a feed may have lost a change (a skipped batch number, silence, its silo left),
/// the customers known from that feed are read from their grains again; an answer is never older than
/// <see cref="EntitlementsCacheOptions.MaxAge"/> either, a safety net paid per read, not per cached customer.
/// </summary>
public sealed partial class EntitlementsCache(
    IClusterClient grains,
    IOptions<EntitlementsCacheOptions> options,
    EntitlementsFeedFollower feeds,
    BillingTelemetry telemetry,
    TimeProvider time,
    ILogger<EntitlementsCache> logger) : BackgroundService, IFeedSink
{
    private static readonly KeyValuePair<string, object?> FromCache = new("billing.entitlements.source", "cache");
    private static readonly KeyValuePair<string, object?> FromGrain = new("billing.entitlements.source", "grain");

    private readonly ConcurrentDictionary<string, CachedCustomer> _customers = new(StringComparer.Ordinal);
    private readonly EntitlementsCacheOptions _options = options.Value;
    private long _forgets;

    /// <summary>Customers cached now.</summary>
    public int Count => _customers.Count;

    /// <summary>What <paramref name="customerId"/> may use now: from memory when the entry is in step, else from its grain.</summary>
    public async ValueTask<CustomerEntitlements> GetAsync(string customerId)
    {
        if (!_options.Enabled)
        {
            telemetry.EntitlementReads.Add(1, FromGrain);
            return await grains.GetGrain<ICustomerGrain>(customerId).GetEntitlementsAsync();
        }

        if (_customers.TryGetValue(customerId, out var cached) && cached.TryRead(_options.MaxAge, out var entitlements))
        {
            telemetry.EntitlementReads.Add(1, FromCache);
            return entitlements;
        }

        telemetry.EntitlementReads.Add(1, FromGrain);
        if (cached is null && _customers.Count >= _options.Capacity)
        {
            return await grains.GetGrain<ICustomerGrain>(customerId).GetEntitlementsAsync();
        }

        // Confirmed only if no feed was forgotten while the read was in flight: the read may predate a lost change.
        var forgets = Volatile.Read(ref _forgets);
        var read = await grains.GetGrain<ICustomerGrain>(customerId).ReadForCacheAsync();
        cached ??= _customers.GetOrAdd(customerId, _ => new CachedCustomer(time));
        cached.Offer(read.Entitlements);
        if (feeds.InStep(read.Source) && forgets == Volatile.Read(ref _forgets))
        {
            cached.Confirm(read.Source);
        }

        cached.MarkRead();
        return cached.Current ?? read.Entitlements;
    }

    /// <summary>Entitlements just stored by this gateway's own call: cached customers see them before the feed brings them.</summary>
    public void Offer(CustomerEntitlements entitlements)
    {
        ArgumentNullException.ThrowIfNull(entitlements);
        if (_customers.TryGetValue(entitlements.CustomerId, out var cached))
        {
            cached.Offer(entitlements);
        }
    }

    /// <inheritdoc/>
    void IFeedSink.Apply(EntitlementsFeedBatch batch)
    {
        foreach (var change in batch.Changes)
        {
            if (_customers.TryGetValue(change.CustomerId, out var cached))
            {
                cached.Offer(change);
                cached.Retag(batch.Source);
            }
        }

        foreach (var departed in batch.Departed)
        {
            if (_customers.TryGetValue(departed, out var cached))
            {
                cached.Invalidate();
            }
        }
    }

    /// <inheritdoc/>
    void IFeedSink.Forget(string source)
    {
        Interlocked.Increment(ref _forgets);
        var forgotten = 0;
        foreach (var cached in _customers.Values)
        {
            if (cached.Source == source)
            {
                cached.Invalidate();
                forgotten++;
            }
        }

        if (forgotten > 0)
        {
            LogForgotten(forgotten, source);
        }
    }

    /// <summary>Drops the customers not read for <see cref="EntitlementsCacheOptions.IdleTimeout"/>.</summary>
    internal int DropIdle()
    {
        var now = time.GetTimestamp();
        var dropped = 0;
        foreach (var entry in _customers)
        {
            if (time.GetElapsedTime(entry.Value.LastRead, now) > _options.IdleTimeout && _customers.TryRemove(entry))
            {
                dropped++;
            }
        }

        return dropped;
    }

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.Enabled)
        {
            return;
        }

        feeds.Sink = this;
        // One pass over the entries a quarter of the idle timeout: the cache's only upkeep that grows with its size.
        using var timer = new PeriodicTimer(_options.IdleTimeout / 4, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                DropIdle();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} cached customer(s) of feed {Source} are read from their grains again")]
    private partial void LogForgotten(int count, string source);
}
