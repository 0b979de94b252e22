using System.Collections.Concurrent;

namespace Billing.Bench.LoadGenerator.Webhooks;

/// <summary>Counts every answer of a target: 2xx by the status it reported, other codes and transport errors.</summary>
internal sealed class OutcomeTally
{
    private const int SamplesPerKind = 3;

    private readonly ConcurrentDictionary<string, long> _statuses = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<int, long> _codes = new();
    private readonly ConcurrentDictionary<string, long> _errors = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentQueue<string>> _samples = new(StringComparer.Ordinal);

    /// <summary>2xx answers by their <c>status</c> (applied, duplicate, ignored).</summary>
    public IReadOnlyDictionary<string, long> Statuses => _statuses;

    /// <summary>Non-2xx answers by HTTP status code.</summary>
    public IReadOnlyDictionary<int, long> NonSuccess => _codes;

    /// <summary>Requests without an answer, by cause.</summary>
    public IReadOnlyDictionary<string, long> Errors => _errors;

    /// <summary>The first few bodies or messages of each failure kind, to see why without the logs.</summary>
    public IReadOnlyDictionary<string, ConcurrentQueue<string>> Samples => _samples;

    /// <summary>Every 2xx.</summary>
    public long SuccessCount => _statuses.Values.Sum();

    /// <summary>Every non-2xx answer and error.</summary>
    public long FailureCount => _codes.Values.Sum() + _errors.Values.Sum();

    public void Success(string status) => _statuses.AddOrUpdate(status, 1, static (_, n) => n + 1);

    public void Failure(int code, string body)
    {
        _codes.AddOrUpdate(code, 1, static (_, n) => n + 1);
        Sample($"HTTP {code}", body);
    }

    public void Error(string cause, string message)
    {
        _errors.AddOrUpdate(cause, 1, static (_, n) => n + 1);
        Sample(cause, message);
    }

    private void Sample(string kind, string text)
    {
        var samples = _samples.GetOrAdd(kind, static _ => new ConcurrentQueue<string>());
        if (samples.Count < SamplesPerKind)
        {
            samples.Enqueue(text.Length > 300 ? text[..300] : text);
        }
    }
}
