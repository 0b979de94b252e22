using Billing.Grains.Customers;

namespace Billing.Gateway.Caching;

/// <summary>
/// One customer in the near-cache: the newest entitlements seen, from the grain's pushes, the webhook path's offers
/// or a (re)subscription, and when the subscription was last confirmed. Versions only grow, so whichever source
/// arrives last, the newest version wins.
/// </summary>
internal sealed class CachedCustomer : IEntitlementsObserver
{
    private readonly ICustomerGrain _grain;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private CustomerEntitlements? _entitlements;
    private Task<CustomerEntitlements>? _subscribing;
    private long _confirmedAt = long.MinValue;
    private long _lastRead;
    private int _generation;

    public CachedCustomer(IGrainFactory grains, string customerId, TimeProvider time)
    {
        _grain = grains.GetGrain<ICustomerGrain>(customerId);
        _time = time;
        _lastRead = time.GetTimestamp();
        Reference = grains.CreateObjectReference<IEntitlementsObserver>(this);
    }

    /// <summary>This entry's observer reference, as the grain knows it.</summary>
    public IEntitlementsObserver Reference { get; }

    /// <summary>When the entry was last read (a <see cref="TimeProvider"/> timestamp).</summary>
    public long LastRead => Volatile.Read(ref _lastRead);

    /// <summary>The cached entitlements, if the subscription was confirmed less than <paramref name="maxAge"/> ago.</summary>
    public bool TryRead(TimeSpan maxAge, out CustomerEntitlements entitlements)
    {
        var now = _time.GetTimestamp();
        var confirmedAt = Volatile.Read(ref _confirmedAt);
        if (Volatile.Read(ref _entitlements) is { } cached && confirmedAt != long.MinValue &&
            _time.GetElapsedTime(confirmedAt, now) < maxAge)
        {
            Volatile.Write(ref _lastRead, now);
            entitlements = cached;
            return true;
        }

        entitlements = null!;
        return false;
    }

    /// <summary>
    /// Subscribes (again) to the grain and returns its current entitlements; concurrent callers share one call.
    /// </summary>
    public Task<CustomerEntitlements> SubscribeAsync()
    {
        lock (_gate)
        {
            if (_subscribing is null || _subscribing.IsCompleted)
            {
                _subscribing = SubscribeCoreAsync();
            }

            return _subscribing;
        }
    }

    /// <summary>A read that could not be answered from memory still counts as use: the entry is not idle.</summary>
    public void MarkRead() => Volatile.Write(ref _lastRead, _time.GetTimestamp());

    /// <summary>Keeps <paramref name="entitlements"/> if it is newer than what the entry holds.</summary>
    public void Offer(CustomerEntitlements entitlements)
    {
        while (true)
        {
            var current = Volatile.Read(ref _entitlements);
            if (current is not null && current.Version >= entitlements.Version)
            {
                return;
            }

            if (Interlocked.CompareExchange(ref _entitlements, entitlements, current) == current)
            {
                return;
            }
        }
    }

    /// <summary>The subscription may be gone (a silo left the cluster): reads go to the grain until it is renewed.</summary>
    public void Invalidate()
    {
        Interlocked.Increment(ref _generation);
        Volatile.Write(ref _confirmedAt, long.MinValue);
    }

    /// <inheritdoc/>
    public Task OnEntitlementsChangedAsync(CustomerEntitlements entitlements)
    {
        Offer(entitlements);
        return Task.CompletedTask;
    }

    /// <summary>Ends the subscription; best effort, since it lapses by itself.</summary>
    public Task UnsubscribeAsync() => _grain.UnwatchAsync(Reference);

    private async Task<CustomerEntitlements> SubscribeCoreAsync()
    {
        // Confirmed as of the call's start, and only if no invalidation happened meanwhile: a subscription made on an
        // activation that has since died must not count.
        var generation = Volatile.Read(ref _generation);
        var started = _time.GetTimestamp();
        var current = await _grain.WatchAsync(Reference);
        Offer(current);
        if (generation == Volatile.Read(ref _generation))
        {
            Volatile.Write(ref _confirmedAt, started);
        }

        return Volatile.Read(ref _entitlements)!;
    }
}
