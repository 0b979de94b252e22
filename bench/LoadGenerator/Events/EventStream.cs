namespace Billing.Bench.LoadGenerator.Events;

/// <summary>
/// The deliveries of a run, in send order: customers picked with a Zipf skew, each advancing its own lifecycle; a
/// share of events held back until a newer event of the same customer was sent (out of order); a share of
/// deliveries repeating a recent event (duplicates). Deterministic for a seed, so every target gets the same
/// stream; thread-safe, for many senders.
/// </summary>
internal sealed class EventStream
{
    // How far back a duplicate may reach, and how many deliveries a held-back event waits at most.
    private const int RecentWindow = 4096;
    private const int MaxHoldBack = 64;

    private readonly Lock _gate = new();
    private readonly Random _random;
    private readonly ZipfSampler _zipf;
    private readonly CustomerLifecycle?[] _customers;
    private readonly long _firstCreated;
    private readonly double _duplicates;
    private readonly double _outOfOrder;
    private readonly string _runTag;
    private readonly PriorityQueue<PlannedEvent, long> _heldBack = new();
    private readonly PlannedEvent[] _recent = new PlannedEvent[RecentWindow];
    private readonly Func<string> _newEventId;
    private long _sequence;
    private long _events;
    private long _recentCount;

    /// <summary>The stream of <paramref name="options"/>, with event ids tagged <paramref name="runTag"/>.</summary>
    public EventStream(BenchOptions options, string runTag)
    {
        ArgumentNullException.ThrowIfNull(options);
        _random = new Random(options.Seed);
        _zipf = new ZipfSampler(options.Customers, options.Zipf);
        _customers = new CustomerLifecycle?[options.Customers];
        _duplicates = options.Duplicates;
        _outOfOrder = options.OutOfOrder;
        _runTag = runTag;
        // Two days back: every lifecycle stays in the past, and a past_due seen in it is still inside the
        // default three-day grace period when the state is checked (so GRACE, not SUSPENDED, is expected).
        _firstCreated = DateTimeOffset.UtcNow.AddDays(-2).ToUnixTimeSeconds();
        _newEventId = () => $"evt_{_runTag}_{++_events}";
    }

    /// <summary>The next delivery.</summary>
    public Delivery Next()
    {
        lock (_gate)
        {
            _sequence++;
            if (_heldBack.TryPeek(out var held, out var releaseAt) && releaseAt <= _sequence)
            {
                _heldBack.Dequeue();
                return Remember(new Delivery(held, Duplicate: false, OutOfOrder: true));
            }

            if (_recentCount > 0 && _random.NextDouble() < _duplicates)
            {
                var reach = (int)Math.Min(_recentCount, RecentWindow);
                return new Delivery(_recent[(_recentCount - 1 - _random.Next(reach)) % RecentWindow], Duplicate: true, OutOfOrder: false);
            }

            var customer = _zipf.Next(_random);
            var lifecycle = _customers[customer] ??= new CustomerLifecycle(customer, _firstCreated + _random.Next(3600));
            var next = lifecycle.Next(_random, _newEventId);
            if (_random.NextDouble() < _outOfOrder)
            {
                // Send the customer's following event now and this one some deliveries later: a real reordering
                // for that customer, whatever else is in flight.
                _heldBack.Enqueue(next, _sequence + _random.Next(1, MaxHoldBack + 1));
                next = lifecycle.Next(_random, _newEventId);
            }

            return Remember(new Delivery(next, Duplicate: false, OutOfOrder: false));
        }
    }

    /// <summary>The events still held back: sent after the load so that each customer's sent events form a prefix.</summary>
    public IReadOnlyList<Delivery> DrainHeldBack()
    {
        lock (_gate)
        {
            var drained = new List<Delivery>(_heldBack.Count);
            while (_heldBack.TryDequeue(out var held, out _))
            {
                drained.Add(new Delivery(held, Duplicate: false, OutOfOrder: true));
            }

            return drained;
        }
    }

    private Delivery Remember(Delivery delivery)
    {
        _recent[_recentCount++ % RecentWindow] = delivery.Event;
        return delivery;
    }
}
