using System.Diagnostics;

namespace Billing.Testing.Stripe;

/// <summary>
/// The faults the stub applies: queued ones, each to one request in order, and a rate ceiling. Thread-safe: tests
/// queue faults while the product is calling.
/// </summary>
public sealed class StubFaults
{
    private readonly Lock _lock = new();
    private readonly List<(StubFault Fault, string? PathPrefix)> _queue = [];

    // Stopwatch timestamps of the answered requests still inside the trailing window.
    private readonly Queue<long> _answered = new();
    private double? _maxRequestsPerSecond;

    /// <summary>
    /// When set, a request that would make more than this many answered requests in the trailing second (counting
    /// the 429s too: hammering through a storm keeps it going, as at Stripe) is answered 429 <c>endpoint-rate</c>.
    /// Below 1, the window widens to 1/value seconds for one request.
    /// </summary>
    public double? MaxRequestsPerSecond
    {
        get
        {
            lock (_lock)
            {
                return _maxRequestsPerSecond;
            }
        }
        set
        {
            if (value is <= 0 or double.NaN)
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "The ceiling must be positive.");
            }

            lock (_lock)
            {
                _maxRequestsPerSecond = value;
            }
        }
    }

    /// <summary>How many queued faults are still waiting for a request.</summary>
    public int Pending
    {
        get
        {
            lock (_lock)
            {
                return _queue.Count;
            }
        }
    }

    /// <summary>
    /// Queues <paramref name="fault"/> for the next request, or, with <paramref name="pathPrefix"/>, for the next
    /// request whose path starts with it (e.g. <c>/v1/events</c>). Faults apply in the order queued.
    /// </summary>
    public void Enqueue(StubFault fault, string? pathPrefix = null)
    {
        ArgumentNullException.ThrowIfNull(fault);
        lock (_lock)
        {
            _queue.Add((fault, pathPrefix));
        }
    }

    /// <summary>Drops the queued faults (the rate ceiling stays).</summary>
    public void Clear()
    {
        lock (_lock)
        {
            _queue.Clear();
        }
    }

    /// <summary>Takes the first queued fault that applies to <paramref name="path"/>, if any.</summary>
    internal StubFault? Take(string path)
    {
        lock (_lock)
        {
            var at = _queue.FindIndex(q => q.PathPrefix is null || path.StartsWith(q.PathPrefix, StringComparison.Ordinal));
            if (at < 0)
            {
                return null;
            }

            var fault = _queue[at].Fault;
            _queue.RemoveAt(at);
            return fault;
        }
    }

    /// <summary>Counts this request into the trailing window; whether it goes over the ceiling.</summary>
    internal bool CountAndCheckCeiling()
    {
        var now = Stopwatch.GetTimestamp();
        lock (_lock)
        {
            var (window, allowed) = _maxRequestsPerSecond switch
            {
                null => (TimeSpan.FromSeconds(1), int.MaxValue),
                < 1 and double rate => (TimeSpan.FromSeconds(1 / rate), 1),
                double rate => (TimeSpan.FromSeconds(1), (int)Math.Floor(rate)),
            };
            while (_answered.Count > 0 && Stopwatch.GetElapsedTime(_answered.Peek(), now) >= window)
            {
                _answered.Dequeue();
            }

            var over = _answered.Count + 1 > allowed;
            _answered.Enqueue(now);
            return over;
        }
    }
}
