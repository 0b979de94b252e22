namespace Billing.Insights.Tests.Generation;

/// <summary>Feeds a detector as its host would: the events up to each step, then an evaluation at that step.</summary>
public static class Replay
{
    /// <summary>A Monday 00:00 UTC: the start of every scenario's history.</summary>
    public static readonly DateTimeOffset Start = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Quiet traffic for <paramref name="hours"/> hours from <paramref name="from"/>.</summary>
    public static List<SignalObservation> Quiet(TrafficGenerator traffic, DateTimeOffset from, int hours, double volume = 1)
    {
        var events = new List<SignalObservation>();
        for (var h = 0; h < hours; h++)
        {
            events.AddRange(traffic.Hour(from.AddHours(h), volume));
        }

        return events;
    }

    /// <summary>
    /// Observes <paramref name="events"/> (any order) in steps of <paramref name="step"/> from <paramref name="from"/>
    /// to <paramref name="to"/>, evaluating after each step; returns every finding.
    /// </summary>
    public static List<DetectorFinding> Run(AccountDetector detector, IEnumerable<SignalObservation> events,
        DateTimeOffset from, DateTimeOffset to, TimeSpan step)
    {
        var ordered = events.OrderBy(e => e.At).ToList();
        var findings = new List<DetectorFinding>();
        var index = 0;
        for (var t = from + step; t <= to; t += step)
        {
            var start = index;
            while (index < ordered.Count && ordered[index].At < t)
            {
                index++;
            }

            detector.Observe(ordered.GetRange(start, index - start));
            findings.AddRange(detector.Evaluate(t));
        }

        return findings;
    }
}
