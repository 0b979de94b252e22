namespace Billing.Bench.LoadGenerator.HistoryReads;

/// <summary>
/// The history phase: one customer's events sent through the webhook endpoint, its history walked and checked
/// (every acknowledged event exactly once), then page reads and as_of reads under load, as_of answers checked
/// against the walked history.
/// </summary>
/// <param name="CustomerId">The one customer.</param>
/// <param name="EventsSent">Distinct events sent.</param>
/// <param name="Acknowledged">Events answered 2xx (after up to three redeliveries).</param>
/// <param name="SeedSeconds">How long sending them took (not a measurement: one customer, a few connections).</param>
/// <param name="SeedConnections">Connections the events were sent over, in order, one request in flight on each.</param>
/// <param name="Entries">Entries in the walked history.</param>
/// <param name="Pages">Pages of <see cref="HistoryLoad.PageSize"/> in it.</param>
/// <param name="MissingEvents">Acknowledged events the history does not hold.</param>
/// <param name="RepeatedEvents">Event ids the history holds more than once.</param>
/// <param name="Reads">Page reads, then as_of reads.</param>
/// <param name="AsOfChecked">as_of answers compared with the walked history (warm-up included).</param>
/// <param name="AsOfMismatches">Those that differed.</param>
/// <param name="AsOfMismatchSamples">The first few differences.</param>
/// <param name="TargetP99Milliseconds">The p99 each read should stay under.</param>
/// <param name="Error">Why the phase stopped early, if it did.</param>
internal sealed record HistoryResult(
    string CustomerId,
    int EventsSent,
    int Acknowledged,
    double SeedSeconds,
    int SeedConnections,
    int Entries,
    int Pages,
    int MissingEvents,
    int RepeatedEvents,
    IReadOnlyList<HistoryReadResult> Reads,
    long AsOfChecked,
    long AsOfMismatches,
    IReadOnlyList<string> AsOfMismatchSamples,
    double TargetP99Milliseconds,
    string? Error)
{
    /// <summary>What is wrong with the history phase (a target missed is not wrong, only reported).</summary>
    public IEnumerable<string> Failures()
    {
        if (Error is not null)
        {
            yield return $"history: {Error}";
        }

        if (EventsSent > 0 && Acknowledged == 0)
        {
            yield return "history: no event of the history customer was acknowledged";
        }

        if (MissingEvents > 0 || RepeatedEvents > 0)
        {
            yield return $"history: ListCustomerEvents misses {MissingEvents} acknowledged events and repeats {RepeatedEvents}";
        }

        if (AsOfMismatches > 0)
        {
            yield return $"history: {AsOfMismatches} of {AsOfChecked} as_of answers differ from the history";
        }

        foreach (var read in Reads.Where(r => r.Calls == 0))
        {
            yield return $"history: every {read.Call} read failed";
        }
    }
}
