using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Billing.Testing.Stripe;

namespace Billing.Resilience.Tests.Infrastructure;

/// <summary>One POST of one event: when it ended (since the load started), how long it took, its status (0: no answer).</summary>
internal sealed record Attempt(string EventId, TimeSpan EndedAt, TimeSpan Latency, int Status)
{
    public bool Succeeded => Status is >= 200 and < 300;
}

/// <summary>
/// Stripe, as far as the gateway can tell: workers post each customer's events in order, paced to a steady rate,
/// and retry any non-2xx answer (or no answer) after a short backoff until it is a 2xx, like Stripe's redelivery
/// but sooner. New customers are taken until <see cref="Stop"/>; a customer begun is always finished.
/// </summary>
internal sealed class WebhookLoad : IDisposable
{
    private static readonly TimeSpan EventDeadline = TimeSpan.FromSeconds(120);

    private readonly HttpClient _http;
    private readonly WebhookSender _sender;
    private readonly string _runId = Guid.NewGuid().ToString("N")[..8];
    private readonly int _concurrency;
    private readonly TimeSpan _interval;
    private readonly int _maxCustomers;
    private readonly Stopwatch _clock = new();
    private readonly Lock _pacing = new();
    private readonly ConcurrentQueue<Attempt> _attempts = new();
    private readonly ConcurrentQueue<CustomerScript> _customers = new();
    private readonly ConcurrentQueue<string> _failures = new();
    private TimeSpan _nextSlot;
    private int _nextCustomer = -1;
    private volatile bool _stopping;

    public WebhookLoad(Uri gateway, int concurrency, double eventsPerSecond, int maxCustomers)
    {
        _http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency * 2 })
        {
            BaseAddress = gateway,
            Timeout = TimeSpan.FromSeconds(30),
        };
        _sender = new WebhookSender(_http, BillingCluster.WebhookSecret);
        _concurrency = concurrency;
        _interval = TimeSpan.FromSeconds(1 / eventsPerSecond);
        _maxCustomers = maxCustomers;
    }

    /// <summary>Time since the load started; the timeline of every <see cref="Attempt"/>.</summary>
    public TimeSpan Now => _clock.Elapsed;

    /// <summary>Every customer begun (and, once <see cref="RunAsync"/> ended, finished).</summary>
    public IReadOnlyCollection<CustomerScript> Customers => _customers;

    public IReadOnlyCollection<Attempt> Attempts => _attempts;

    /// <summary>Events that never got a 2xx within the deadline (must stay empty).</summary>
    public IReadOnlyCollection<string> Failures => _failures;

    /// <summary>Ids of the events answered 2xx.</summary>
    public IEnumerable<string> Acknowledged => _attempts.Where(a => a.Succeeded).Select(a => a.EventId).Distinct();

    /// <summary>Runs until <see cref="Stop"/> (or the customer cap), then until every begun customer is finished.</summary>
    public async Task RunAsync()
    {
        _clock.Start();
        await Task.WhenAll(Enumerable.Range(0, _concurrency).Select(_ => Task.Run(WorkAsync)));
    }

    /// <summary>No new customer from now on.</summary>
    public void Stop() => _stopping = true;

    /// <summary>The numbers the tests print.</summary>
    public string Summary(TimeSpan? since = null)
    {
        var attempts = _attempts.ToArray();
        var events = _customers.Sum(c => c.Events.Count);
        var ok = attempts.Count(a => a.Succeeded);
        var failed = attempts.Where(a => !a.Succeeded).ToArray();
        var retriedEvents = failed.Select(a => a.EventId).Distinct().Count();
        var latencies = attempts.Select(a => a.Latency.TotalMilliseconds).Order().ToArray();
        var byStatus = string.Join(", ", failed.GroupBy(a => a.Status).OrderBy(g => g.Key)
            .Select(g => $"{(g.Key == 0 ? "no answer" : g.Key.ToString(CultureInfo.InvariantCulture))}: {g.Count()}"));
        var text = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"customers {_customers.Count}, events sent {events}, POSTs {attempts.Length}, 2xx {ok}, ")
            .Append(CultureInfo.InvariantCulture, $"non-2xx {failed.Length}{(failed.Length > 0 ? $" ({byStatus})" : "")}, events retried {retriedEvents}, ")
            .Append(CultureInfo.InvariantCulture, $"never acknowledged {_failures.Count}; latency p50 {Percentile(latencies, 0.5):F0} ms, ")
            .Append(CultureInfo.InvariantCulture, $"p99 {Percentile(latencies, 0.99):F0} ms, max {latencies.LastOrDefault():F0} ms; ")
            .Append(CultureInfo.InvariantCulture, $"duration {_clock.Elapsed.TotalSeconds:F1} s");
        return text.ToString();
    }

    /// <summary>The non-2xx answers ending after <paramref name="since"/>: count, first and last (relative to it).</summary>
    public FailureWindow WindowSince(TimeSpan since, TimeSpan? until = null)
    {
        var failed = _attempts.Where(a => !a.Succeeded && a.EndedAt >= since && (until is null || a.EndedAt <= until)).OrderBy(a => a.EndedAt).ToArray();
        var slow = _attempts.Where(a => a.EndedAt >= since && (until is null || a.EndedAt <= until) && a.Latency >= TimeSpan.FromSeconds(1))
            .OrderBy(a => a.EndedAt).ToArray();
        return new FailureWindow(
            failed.Length,
            failed.Length == 0 ? null : failed[0].EndedAt - since,
            failed.Length == 0 ? null : failed[^1].EndedAt - since,
            slow.Length,
            slow.Length == 0 ? null : slow[^1].EndedAt - since,
            _attempts.Where(a => a.EndedAt >= since).Select(a => a.Latency).DefaultIfEmpty().Max());
    }

    public void Dispose() => _http.Dispose();

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    private async Task WorkAsync()
    {
        while (!_stopping)
        {
            var index = Interlocked.Increment(ref _nextCustomer);
            if (index >= _maxCustomers)
            {
                return;
            }

            var script = CustomerScript.For(index, _runId);
            _customers.Enqueue(script);
            foreach (var scripted in script.Events)
            {
                await WaitForSlotAsync();
                await DeliverAsync(scripted);
            }
        }
    }

    // Posts until a 2xx, like Stripe (which waits minutes to days between tries; here 0.25 s doubling to 2 s).
    private async Task DeliverAsync(ScriptedEvent scripted)
    {
        var deadline = _clock.Elapsed + EventDeadline;
        var backoff = TimeSpan.FromMilliseconds(250);
        while (true)
        {
            var started = _clock.Elapsed;
            int status;
            try
            {
                using var response = await _sender.SendAsync(scripted.Body);
                status = (int)response.StatusCode;
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
                status = 0;
            }

            var attempt = new Attempt(scripted.Id, _clock.Elapsed, _clock.Elapsed - started, status);
            _attempts.Enqueue(attempt);
            if (attempt.Succeeded)
            {
                return;
            }

            if (_clock.Elapsed > deadline)
            {
                _failures.Enqueue($"{scripted.Id} ({scripted.CustomerId}): last answer {status}");
                return;
            }

            await Task.Delay(backoff);
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(2).Ticks));
        }
    }

    private async Task WaitForSlotAsync()
    {
        TimeSpan slot;
        lock (_pacing)
        {
            var now = _clock.Elapsed;
            slot = _nextSlot > now ? _nextSlot : now;
            _nextSlot = slot + _interval;
        }

        var wait = slot - _clock.Elapsed;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait);
        }
    }
}

/// <summary>
/// Non-2xx answers after a moment (a kill): how many, the first and last relative to it; and answers slower than 1 s.
/// </summary>
internal sealed record FailureWindow(int Failures, TimeSpan? First, TimeSpan? Last, int Slow, TimeSpan? LastSlow, TimeSpan MaxLatency)
{
    /// <summary>From the moment to the last non-2xx (zero when there was none).</summary>
    public TimeSpan Length => Last ?? TimeSpan.Zero;

    public override string ToString() => Failures == 0
        ? $"no non-2xx answer; {Slow} answer(s) slower than 1 s{(LastSlow is { } s ? $", the last ending {s.TotalSeconds:F1} s after" : "")}; max latency {MaxLatency.TotalSeconds:F1} s"
        : $"{Failures} non-2xx answer(s), first {First!.Value.TotalSeconds:F1} s, last {Last!.Value.TotalSeconds:F1} s after; " +
          $"{Slow} answer(s) slower than 1 s{(LastSlow is { } t ? $", the last ending {t.TotalSeconds:F1} s after" : "")}; max latency {MaxLatency.TotalSeconds:F1} s";
}
