using Billing.Grains.Customers;

namespace Billing.Gateway.Caching;

/// <summary>
/// One customer in the near-cache: the newest entitlements seen (from a read, the feed or the webhook path: versions
/// only grow, so the newest wins whatever arrives last), and the feed that carries its changes. Answered from memory
/// only while that feed is in step (<see cref="Source"/> set) and the entry was confirmed by a read not longer ago than
/// the cache's maximum age.
/// </summary>
internal sealed class CachedCustomer(TimeProvider time)
{
    private readonly Lock _gate = new();
    private CustomerEntitlements? _entitlements;
    private string? _source;
    private long _confirmedAt = long.MinValue;
    private long _lastRead = time.GetTimestamp();

    /// <summary>The feed carrying this customer's changes; null when unknown (the next read asks the grain).</summary>
    public string? Source
    {
        get
        {
            lock (_gate)
            {
                return _source;
            }
        }
    }

    /// <summary>The newest entitlements seen.</summary>
    public CustomerEntitlements? Current => Volatile.Read(ref _entitlements);

    /// <summary>When the entry was last read (a <see cref="TimeProvider"/> timestamp).</summary>
    public long LastRead => Volatile.Read(ref _lastRead);

    /// <summary>The entitlements, if this entry may answer from memory.</summary>
    public bool TryRead(TimeSpan maxAge, out CustomerEntitlements entitlements)
    {
        var now = time.GetTimestamp();
        lock (_gate)
        {
            if (_source is not null && _entitlements is { } cached && time.GetElapsedTime(_confirmedAt, now) < maxAge)
            {
                Volatile.Write(ref _lastRead, now);
                entitlements = cached;
                return true;
            }
        }

        entitlements = null!;
        return false;
    }

    /// <summary>A read that could not be answered from memory still counts as use: the entry is not idle.</summary>
    public void MarkRead() => Volatile.Write(ref _lastRead, time.GetTimestamp());

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

    /// <summary>A read from the grain, made while <paramref name="source"/> was in step, confirms the entry.</summary>
    public void Confirm(string source)
    {
        lock (_gate)
        {
            _source = source;
            _confirmedAt = time.GetTimestamp();
        }
    }

    /// <summary>A change came from <paramref name="source"/>: the customer lives there now.</summary>
    public void Retag(string source)
    {
        lock (_gate)
        {
            if (_source is not null)
            {
                _source = source;
            }
        }
    }

    /// <summary>The entry may have missed a change: the next read asks the grain.</summary>
    public void Invalidate()
    {
        lock (_gate)
        {
            _source = null;
        }
    }
}
