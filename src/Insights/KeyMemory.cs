namespace Billing.Insights;

/// <summary>
/// The event ids and payment keys already counted, as 64-bit FNV-1a hashes (stable across processes, unlike
/// string.GetHashCode; a collision among 20,000 keys has odds near 1e-11). Oldest forgotten first, in chunks.
/// </summary>
internal sealed class KeyMemory
{
    private readonly List<long> _order;
    private readonly HashSet<long> _set;
    private readonly int _capacity;

    public KeyMemory(List<long> stored, int capacity)
    {
        _order = stored;
        _set = [.. stored];
        _capacity = capacity;
    }

    /// <summary>Remembers <paramref name="key"/>; false when it was already remembered.</summary>
    public bool Add(string key)
    {
        var hash = Hash(key);
        if (!_set.Add(hash))
        {
            return false;
        }

        _order.Add(hash);
        if (_order.Count > _capacity)
        {
            // A tenth at a time, so a busy account does not shift the whole list on every event.
            var excess = _order.Count - _capacity + _capacity / 10;
            foreach (var old in _order.Take(excess))
            {
                _set.Remove(old);
            }

            _order.RemoveRange(0, excess);
        }

        return true;
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
}
