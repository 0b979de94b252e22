using Billing.Insights.State;

namespace Billing.Insights;

/// <summary>
/// Records counted signals into the state's buckets and answers window sums; prunes everything to its horizon so
/// the state stays bounded.
/// </summary>
internal sealed class SignalBook(DetectorState state, DetectionOptions options)
{
    public const int MinuteHorizon = 25 * 60;

    // Disputes fold into their baseline only after leaving their 24-hour window (plus the roll lag and the hour).
    public const int FraudHorizon = 26 * 60;
    public const int DayHorizon = 31;
    private const int MaxFraudMinutes = 1_000;
    private const int MaxSamples = 10;

    public static long MinuteOf(DateTimeOffset at) => at.ToUnixTimeSeconds() / 60;

    public void Record(SignalObservation o, KindState? kind, bool countedForWindows)
    {
        var minute = MinuteOf(o.At);
        var fraud = o.Kind is SignalKind.Dispute or SignalKind.EarlyFraudWarning;
        if (countedForWindows && minute > state.NewestMinute - (fraud ? FraudHorizon : MinuteHorizon))
        {
            if (fraud)
            {
                InsertSorted(state.FraudMinutes, minute);
            }
            else
            {
                Increment(BucketAt(minute), o);
            }

            if (kind is not null)
            {
                AddSample(kind, o.EventId, minute);
            }
        }

        var counted = o.Kind == SignalKind.PaymentSucceeded && !o.SetupIntent && countedForWindows;
        if (counted || o.Kind == SignalKind.Dispute)
        {
            var day = DayAt(minute / (24 * 60));
            if (counted)
            {
                day.Successes++;
            }
            else
            {
                day.Disputes++;
            }
        }
    }

    /// <summary>Sums the minute buckets after <paramref name="startMinute"/> (exclusive).</summary>
    public WindowCounts Sum(long startMinute)
    {
        var counts = new WindowCounts();
        for (var i = state.Minutes.Count - 1; i >= 0 && state.Minutes[i].Minute > startMinute; i--)
        {
            var b = state.Minutes[i];
            counts.Failures += b.Failures;
            counts.Successes += b.Successes;
            counts.SetupFailures += b.SetupFailures;
            counts.SmallFailures += b.SmallFailures;
            counts.CardCodeFailures += b.CardCodeFailures;
            counts.Refunds += b.Refunds;
        }

        return counts;
    }

    /// <summary>The counts of one whole hour (hours since the epoch).</summary>
    public WindowCounts Hour(long hour)
    {
        var counts = new WindowCounts();
        var first = hour * 60;
        var index = LowerBound(first);
        for (var i = index; i < state.Minutes.Count && state.Minutes[i].Minute < first + 60; i++)
        {
            var b = state.Minutes[i];
            counts.Failures += b.Failures;
            counts.Successes += b.Successes;
            counts.Refunds += b.Refunds;
        }

        counts.Frauds = state.FraudMinutes.Count(m => m >= first && m < first + 60);
        return counts;
    }

    public int FraudsAfter(long startMinute) => state.FraudMinutes.Count(m => m > startMinute);

    public static IReadOnlyList<string> Samples(KindState kind, long startMinute) =>
        [.. kind.Samples.Where(s => s.Minute > startMinute).Reverse().Select(s => s.EventId)];

    public (int Disputes, long Successes) LastThirtyDays()
    {
        var firstDay = state.NewestMinute / (24 * 60) - 29;
        var days = state.Days.Where(d => d.Day >= firstDay).ToList();
        return (days.Sum(d => d.Disputes), days.Sum(d => (long)d.Successes));
    }

    public void Prune()
    {
        // Every list is in time order: dropping from the front costs only what is dropped (Evaluate runs often).
        var oldestMinute = state.NewestMinute - MinuteHorizon;
        DropFront(state.Minutes, b => b.Minute <= oldestMinute);
        var oldestFraud = state.NewestMinute - FraudHorizon;
        DropFront(state.FraudMinutes, m => m <= oldestFraud);
        if (state.FraudMinutes.Count > MaxFraudMinutes)
        {
            state.FraudMinutes.RemoveRange(0, state.FraudMinutes.Count - MaxFraudMinutes);
        }

        var oldestDay = state.NewestMinute / (24 * 60) - DayHorizon;
        DropFront(state.Days, d => d.Day <= oldestDay);
    }

    private static void DropFront<T>(List<T> list, Func<T, bool> old)
    {
        var count = 0;
        while (count < list.Count && old(list[count]))
        {
            count++;
        }

        list.RemoveRange(0, count);
    }

    private void Increment(MinuteBucket b, SignalObservation o)
    {
        switch (o.Kind)
        {
            case SignalKind.PaymentFailed:
                b.Failures++;
                b.SetupFailures += o.SetupIntent ? 1 : 0;
                b.SmallFailures += o.AmountMinor is { } amount && amount <= options.CardTestingMaxAmountMinor ? 1 : 0;
                b.CardCodeFailures += o.DeclineCode is { } code && options.CardTestingDeclineCodes.Contains(code) ? 1 : 0;
                break;
            case SignalKind.PaymentSucceeded:
                b.Successes++;
                break;
            case SignalKind.Refund:
                b.Refunds++;
                break;
        }
    }

    private static void AddSample(KindState kind, string eventId, long minute)
    {
        kind.Samples.Add(new SampleEvent { EventId = eventId, Minute = minute });
        if (kind.Samples.Count > MaxSamples)
        {
            kind.Samples.RemoveAt(0);
        }
    }

    private MinuteBucket BucketAt(long minute)
    {
        var index = LowerBound(minute);
        if (index < state.Minutes.Count && state.Minutes[index].Minute == minute)
        {
            return state.Minutes[index];
        }

        var bucket = new MinuteBucket { Minute = minute };
        state.Minutes.Insert(index, bucket);
        return bucket;
    }

    private DayBucket DayAt(long day)
    {
        var index = state.Days.FindLastIndex(d => d.Day <= day);
        if (index >= 0 && state.Days[index].Day == day)
        {
            return state.Days[index];
        }

        var bucket = new DayBucket { Day = day };
        state.Days.Insert(index + 1, bucket);
        return bucket;
    }

    private int LowerBound(long minute)
    {
        int low = 0, high = state.Minutes.Count;
        while (low < high)
        {
            var mid = (low + high) / 2;
            if (state.Minutes[mid].Minute < minute)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }

        return low;
    }

    private static void InsertSorted(List<long> list, long value)
    {
        var index = list.BinarySearch(value);
        list.Insert(index < 0 ? ~index : index, value);
    }
}
