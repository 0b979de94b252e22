using System.Diagnostics;

namespace Billing.Bench.LoadGenerator.Database;

/// <summary>
/// What a target's database did during a measured phase, per event answered in it: transactions and rows, each the
/// slope of a line fitted through the phase's readings times the phase's length (see <see cref="PgStatProbe"/>).
/// </summary>
internal sealed record DatabaseActivity(
    string Database,
    int Samples,
    long Events,
    long Transactions,
    long Inserted,
    long Updated,
    long Deleted,
    double TransactionsPerEvent,
    double InsertedPerEvent,
    double UpdatedPerEvent,
    double DeletedPerEvent)
{
    /// <summary>The activity of a phase <paramref name="measured"/> long, or null with fewer than three readings.</summary>
    public static DatabaseActivity? From(string database, IReadOnlyList<PgSample> samples, TimeSpan measured, long events)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (samples.Count < 3)
        {
            return null;
        }

        long InWindow(Func<PgCounters, long> counter) => (long)Math.Round(Slope(samples, counter) * measured.TotalSeconds);
        var transactions = InWindow(c => c.Transactions);
        var inserted = InWindow(c => c.Inserted);
        var updated = InWindow(c => c.Updated);
        var deleted = InWindow(c => c.Deleted);
        return new DatabaseActivity(database, samples.Count, events, transactions, inserted, updated, deleted,
            PerEvent(transactions, events), PerEvent(inserted, events), PerEvent(updated, events), PerEvent(deleted, events));
    }

    // Least squares: the counter's growth per second.
    private static double Slope(IReadOnlyList<PgSample> samples, Func<PgCounters, long> counter)
    {
        var origin = samples[0].Timestamp;
        var x = samples.Select(s => (s.Timestamp - origin) / (double)Stopwatch.Frequency).ToArray();
        var y = samples.Select(s => (double)counter(s.Counters)).ToArray();
        var meanX = x.Average();
        var meanY = y.Average();
        var spread = x.Sum(v => (v - meanX) * (v - meanX));
        return spread > 0 ? x.Zip(y, (a, b) => (a - meanX) * (b - meanY)).Sum() / spread : 0;
    }

    private static double PerEvent(long count, long events) => events > 0 ? Math.Round((double)count / events, 3) : 0;
}
