namespace Billing.Bench.LoadGenerator.Database;

/// <summary>One reading of the counters and when it was taken (<see cref="System.Diagnostics.Stopwatch"/> ticks).</summary>
internal sealed record PgSample(long Timestamp, PgCounters Counters);
