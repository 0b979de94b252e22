using Billing.Insights.State;

namespace Billing.Insights;

/// <summary>
/// The event ids and payment keys already counted, as 64-bit FNV-1a hashes (stable across processes, unlike
/// string.GetHashCode; a collision among 20,000 keys has odds near 1e-11), grouped by the hour their events were
/// created. Whole hours are forgotten once older than the horizon, and the oldest first beyond the capacity.
/// </summary>
internal sealed class KeyMemory
{
    private readonly List<SeenKeyHour> _hours;
    private readonly HashSet<long> _set;
    private readonly int _capacity;
    private int _count;

    public KeyMemory(List<SeenKeyHour> stored, int capacity)
    {
        _hours = stored;
        _set = [.. stored.SelectMany(h => h.Hashes)];
        _count = stored.Sum(h => h.Hashes.Count);
        _capacity = capacity;
    }

    /// <summary>Remembers <paramref name="key"/> under its event's hour; false when it was already remembered.</summary>
    public bool Add(string key, long hour)
    {
        var hash = Hash(key);
        if (!_set.Add(hash))
        {
            return false;
        }

        HourOf(hour).Hashes.Add(hash);
        _count++;
        while (_count > _capacity)
        {
            // A tenth at a time, so a busy account does not shift a long list on every event.
            var oldest = _hours[0];
            var drop = Math.Min(oldest.Hashes.Count, Math.Max(1, _count - _capacity + _capacity / 10));
            Forget(oldest.Hashes.Take(drop));
            oldest.Hashes.RemoveRange(0, drop);
            if (oldest.Hashes.Count == 0)
            {
                _hours.RemoveAt(0);
            }
        }

        return true;
    }

    /// <summary>Forgets the hours before <paramref name="firstKeptHour"/>.</summary>
    public void ForgetBefore(long firstKeptHour)
    {
        var count = 0;
        while (count < _hours.Count && _hours[count].Hour < firstKeptHour)
        {
            Forget(_hours[count].Hashes);
            count++;
        }

        _hours.RemoveRange(0, count);
    }

    internal static long Hash(string key)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in key)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return unchecked((long)hash);
    }

    private void Forget(IEnumerable<long> hashes)
    {
        foreach (var hash in hashes)
        {
            _set.Remove(hash);
            _count--;
        }
    }

    private SeenKeyHour HourOf(long hour)
    {
        var index = _hours.FindLastIndex(h => h.Hour <= hour);
        if (index >= 0 && _hours[index].Hour == hour)
        {
            return _hours[index];
        }

        var group = new SeenKeyHour { Hour = hour };
        _hours.Insert(index + 1, group);
        return group;
    }
}
