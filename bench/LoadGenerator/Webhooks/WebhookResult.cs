using Billing.Bench.LoadGenerator.Database;
using Billing.Bench.LoadGenerator.Measurement;

namespace Billing.Bench.LoadGenerator.Webhooks;

/// <summary>The webhook load against one target. Rates and latencies are of the measured phase only; counts of
/// answers cover everything sent (warm-up, held-back events sent after the load, redeliveries). Database: the
/// target's PostgreSQL work in the measured phase, when its database was given.</summary>
internal sealed record WebhookResult(
    string Target,
    string Url,
    int Connections,
    double MeasuredSeconds,
    long MeasuredSuccess,
    long MeasuredFailures,
    double EventsPerSecond,
    LatencySummary Latency,
    long Posts,
    long DuplicateDeliveries,
    long OutOfOrderDeliveries,
    long DistinctEvents,
    IReadOnlyDictionary<string, long> Statuses,
    IReadOnlyDictionary<string, long> NonSuccess,
    IReadOnlyDictionary<string, long> Errors,
    IReadOnlyDictionary<string, string[]> FailureSamples,
    int HeldBackSentAfterLoad,
    int Redelivered,
    int Unacknowledged,
    IReadOnlyList<ProcessUsage> Processes,
    DatabaseActivity? Database);
