namespace Billing.Bench.LoadGenerator.Webhooks;

/// <summary>
/// One webhook load of a target at one concurrency. Each level sends to customers and with event ids of its own (the
/// same for every target), so that no level replays another's events or continues another's customers: each starts
/// from fresh customers, as the main level always did.
/// </summary>
/// <param name="Connections">Concurrent connections, one request in flight on each.</param>
/// <param name="Main">The main level: its numbers are the headline ones (ratios, CPU, PostgreSQL, reads).</param>
/// <param name="Warmup">Load before the measured phase.</param>
/// <param name="Duration">The measured phase.</param>
/// <param name="CustomerPrefix">Customer ids are this and an index.</param>
/// <param name="RunTag">Goes into every event id.</param>
internal sealed record WebhookLevel(int Connections, bool Main, TimeSpan Warmup, TimeSpan Duration, string CustomerPrefix, string RunTag)
{
    /// <summary>
    /// The levels in the order given, so the main (last) level comes last: the lower levels warm the target up, and
    /// what a load leaves its processes doing afterwards (the idle rows show seconds of it) falls into the next
    /// level's warm-up rather than into a one-connection measurement. The main level uses the run's own customer ids
    /// (those the reads and the bare server use).
    /// </summary>
    public static IEnumerable<WebhookLevel> All(BenchOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        foreach (var connections in options.ConnectionLevels.SkipLast(1))
        {
            yield return new WebhookLevel(connections, false, options.LevelWarmup, options.LevelDuration,
                $"{options.CustomerPrefix}c{connections}_", $"{options.RunTag}c{connections}");
        }

        yield return new WebhookLevel(options.Connections, true, options.Warmup, options.Duration, options.CustomerPrefix, options.RunTag);
    }

    /// <summary>How the level is named in progress lines and tables: the target, and the connections unless main.</summary>
    public string Label(string target) => Main ? target : $"{target} x{Connections}";
}
