using System.Collections;
using System.Diagnostics;
using Billing.ServiceDefaults;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Billing.Gateway.Tests.Observability;

/// <summary>
/// Every span the product's tracing configuration (<see cref="BillingTracing"/>) exports in this process, through
/// OpenTelemetry's in-memory exporter: gateway and silos run in one process in <c>BillingStack</c>, so one tracer
/// provider sees both sides. Other tests' spans land here too: tests pick theirs by trace id.
/// </summary>
public sealed class SpanCollection : ICollection<Activity>, IDisposable
{
    private readonly List<Activity> _spans = [];
    private readonly TracerProvider _provider;

    public SpanCollection() =>
        _provider = Sdk.CreateTracerProviderBuilder().AddBillingTracing().AddInMemoryExporter(this).Build();

    public int Count
    {
        get
        {
            lock (_spans)
            {
                return _spans.Count;
            }
        }
    }

    public bool IsReadOnly => false;

    /// <summary>The spans of one trace exported so far.</summary>
    public IReadOnlyList<Activity> InTrace(ActivityTraceId traceId) => [.. Snapshot().Where(span => span.TraceId == traceId)];

    /// <summary>Waits until a span matching <paramref name="match"/> is exported.</summary>
    public async Task<Activity> WaitForAsync(Func<Activity, bool> match, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (Snapshot().FirstOrDefault(match) is { } found)
            {
                return found;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"no span {what} within {timeout}");
            }

            await Task.Delay(100);
        }
    }

    public List<Activity> Snapshot()
    {
        lock (_spans)
        {
            return [.. _spans];
        }
    }

    public void Add(Activity item)
    {
        lock (_spans)
        {
            _spans.Add(item);
        }
    }

    public void Clear()
    {
        lock (_spans)
        {
            _spans.Clear();
        }
    }

    public bool Contains(Activity item) => Snapshot().Contains(item);

    public void CopyTo(Activity[] array, int arrayIndex) => Snapshot().CopyTo(array, arrayIndex);

    public bool Remove(Activity item)
    {
        lock (_spans)
        {
            return _spans.Remove(item);
        }
    }

    public IEnumerator<Activity> GetEnumerator() => Snapshot().GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public void Dispose() => _provider.Dispose();
}
