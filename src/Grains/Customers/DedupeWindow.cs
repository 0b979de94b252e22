namespace Billing.Grains.Customers;

/// <summary>
/// The event ids a customer applied within the dedupe window (30 days), with when. Only an activation's memory: it is
/// rebuilt from the journal (and, for customers carried over from earlier versions, from their snapshot) on activation,
/// so it never grows a stored row.
/// </summary>
internal sealed class DedupeWindow
{
    private readonly Dictionary<string, DateTimeOffset> _ids = new(StringComparer.Ordinal);
    private readonly Queue<(DateTimeOffset At, string Id)> _byAge = new();

    /// <summary>How many ids are remembered.</summary>
    public int Count => _ids.Count;

    /// <summary>Whether <paramref name="eventId"/> was applied.</summary>
    public bool Contains(string eventId) => _ids.ContainsKey(eventId);

    /// <summary>Remembers <paramref name="eventId"/> as applied at <paramref name="at"/>.</summary>
    public void Add(string eventId, DateTimeOffset at)
    {
        if (_ids.TryAdd(eventId, at))
        {
            _byAge.Enqueue((at, eventId));
        }
    }

    /// <summary>Forgets ids applied before <paramref name="cutoff"/> (ids are added roughly in time order; an older one added late waits its turn).</summary>
    public void Prune(DateTimeOffset cutoff)
    {
        while (_byAge.TryPeek(out var oldest) && oldest.At < cutoff)
        {
            _byAge.Dequeue();
            _ids.Remove(oldest.Id);
        }
    }

    /// <summary>The ids applied at or after <paramref name="since"/> that satisfy <paramref name="include"/>, with when.</summary>
    public Dictionary<string, long> Export(DateTimeOffset since, Func<string, bool> include) =>
        _ids.Where(pair => pair.Value >= since && include(pair.Key))
            .ToDictionary(pair => pair.Key, pair => pair.Value.ToUnixTimeSeconds(), StringComparer.Ordinal);
}
