namespace Billing.Testing.Stripe;

/// <summary>
/// The objects of one kind in one account, kept in list order so a page costs a binary search and a walk over the
/// page (not a sort of everything): the drift check pages through 100,000 subscriptions. Thread-safe: tests change
/// the state while the product reads it.
/// </summary>
internal sealed class StubIndex(string noun)
{
    private static readonly Comparer<StubRecord> Order = Comparer<StubRecord>.Create(Compare);

    private readonly Lock _lock = new();
    private readonly Dictionary<string, StubRecord> _byId = new(StringComparer.Ordinal);

    // Oldest first by (created, id), the reverse of Stripe's order: new objects are the newest, so most inserts append.
    private readonly List<StubRecord> _ordered = [];

    /// <summary>What Stripe calls this kind in "No such …" messages.</summary>
    public string Noun { get; } = noun;

    /// <summary>How many objects there are.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _ordered.Count;
            }
        }
    }

    /// <summary>Adds or replaces (by id) an object.</summary>
    public void Put(StubRecord record)
    {
        lock (_lock)
        {
            PutLocked(record);
        }
    }

    /// <summary>Adds the object unless one with its id exists; whether it was added.</summary>
    public bool TryAdd(StubRecord record)
    {
        lock (_lock)
        {
            if (_byId.ContainsKey(record.Id))
            {
                return false;
            }

            PutLocked(record);
            return true;
        }
    }

    /// <summary>Replaces an object by what <paramref name="change"/> makes of it, atomically; false if absent.</summary>
    public bool Update(string id, Func<StubRecord, StubRecord> change)
    {
        lock (_lock)
        {
            if (!_byId.TryGetValue(id, out var current))
            {
                return false;
            }

            PutLocked(change(current));
            return true;
        }
    }

    /// <summary>Removes an object; whether it was there.</summary>
    public bool Remove(string id)
    {
        lock (_lock)
        {
            if (!_byId.Remove(id, out var old))
            {
                return false;
            }

            _ordered.RemoveAt(PositionOf(old));
            return true;
        }
    }

    /// <summary>The object with this id, if any.</summary>
    public StubRecord? Find(string id)
    {
        lock (_lock)
        {
            return _byId.GetValueOrDefault(id);
        }
    }

    /// <summary>
    /// One page, newest first. <paramref name="exists"/> says whether an object exists at all right now (events past
    /// retention or not yet visible do not, so a cursor naming one is missing); <paramref name="include"/> is the
    /// list's filter.
    /// </summary>
    public StubPage Page(StubListRequest request, Func<StubRecord, bool> include, Func<StubRecord, bool>? exists = null)
    {
        var taken = new List<StubRecord>(request.Limit + 1);
        lock (_lock)
        {
            // The created range as positions: created[...] narrows the walk without looking at what it skips.
            var low = LowerBound(request.CreatedFrom);
            var high = request.CreatedTo == long.MaxValue ? _ordered.Count : LowerBound(request.CreatedTo + 1);
            if (request.EndingBefore is { } before)
            {
                // Newer than the cursor, nearest first: walk up from it, then turn the page to newest first.
                low = Math.Max(low, CursorPosition(before, "ending_before", exists) + 1);
                for (var i = low; i < high && taken.Count <= request.Limit; i++)
                {
                    if (include(_ordered[i]))
                    {
                        taken.Add(_ordered[i]);
                    }
                }
            }
            else
            {
                if (request.StartingAfter is { } after)
                {
                    high = Math.Min(high, CursorPosition(after, "starting_after", exists));
                }

                for (var i = high - 1; i >= low && taken.Count <= request.Limit; i--)
                {
                    if (include(_ordered[i]))
                    {
                        taken.Add(_ordered[i]);
                    }
                }
            }
        }

        var hasMore = taken.Count > request.Limit;
        if (hasMore)
        {
            taken.RemoveAt(taken.Count - 1);
        }

        if (request.EndingBefore is not null)
        {
            taken.Reverse();
        }

        return new StubPage(taken, hasMore);
    }

    private void PutLocked(StubRecord record)
    {
        if (_byId.TryGetValue(record.Id, out var old))
        {
            var at = PositionOf(old);
            if (old.Created == record.Created)
            {
                // Same place in the list: swap in place.
                _ordered[at] = record;
                _byId[record.Id] = record;
                return;
            }

            _ordered.RemoveAt(at);
        }

        _byId[record.Id] = record;
        var position = _ordered.Count == 0 || Compare(_ordered[^1], record) < 0 ? _ordered.Count : ~_ordered.BinarySearch(record, Order);
        _ordered.Insert(position, record);
    }

    private int CursorPosition(string id, string param, Func<StubRecord, bool>? exists)
    {
        if (!_byId.TryGetValue(id, out var record) || (exists is not null && !exists(record)))
        {
            // Stripe answers an unknown cursor 400 (not 404): the request, not the path, names the missing object.
            throw new StubError(400, "resource_missing", $"No such {Noun}: '{id}'", param);
        }

        return PositionOf(record);
    }

    private int PositionOf(StubRecord record) => _ordered.BinarySearch(record, Order);

    private int LowerBound(long created)
    {
        int low = 0, high = _ordered.Count;
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (_ordered[middle].Created < created)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }

    private static int Compare(StubRecord a, StubRecord b)
    {
        var byCreated = a.Created.CompareTo(b.Created);
        return byCreated != 0 ? byCreated : string.CompareOrdinal(a.Id, b.Id);
    }
}
