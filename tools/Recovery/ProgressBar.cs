namespace Billing.RecoveryTool;

/// <summary>
/// The progress line of a followed job:
/// <c>import [##########----------]  52%  fetched 52,100  applied 52,000  dup 0  failed 0  ETA 0:24</c>.
/// On a terminal it is redrawn in place (<c>\r</c>) at every poll; elsewhere (CI logs, pipes) a carriage return
/// would pile up as one endless line or as a line per second, so a plain line is written every
/// <c>plainInterval</c> instead.
/// </summary>
internal sealed class ProgressBar
{
    /// <summary>The bar's width in characters.</summary>
    public const int BarWidth = 20;

    /// <summary>
    /// The least observation time for the rate seen while following to count: over a shorter span one poll's jitter
    /// swings the estimate.
    /// </summary>
    private static readonly TimeSpan MinimumRateWindow = TimeSpan.FromSeconds(2);

    /// <summary>Beyond this an estimate says nothing useful (and <see cref="TimeSpan"/> arithmetic would overflow first).</summary>
    private static readonly TimeSpan LongestEstimate = TimeSpan.FromDays(30);

    private readonly TextWriter _writer;
    private readonly bool _redraw;
    private readonly int? _columns;
    private readonly TimeProvider _time;
    private readonly TimeSpan _plainInterval;
    private int _drawn;
    private DateTimeOffset? _lastPlainLine;
    private (DateTimeOffset At, double Progress)? _firstSample;

    /// <summary>A bar writing to <paramref name="writer"/>.</summary>
    /// <param name="writer">Where to draw (stderr: stdout stays for the summary, so it can be piped).</param>
    /// <param name="redraw">Whether <paramref name="writer"/> is a terminal, where the line is redrawn in place.</param>
    /// <param name="columns">The terminal's width, to keep the line from wrapping (a wrapped line cannot be redrawn by <c>\r</c>).</param>
    /// <param name="time">The clock, for the estimate and the plain lines' pace.</param>
    /// <param name="plainInterval">How often a plain line is written when not redrawing.</param>
    public ProgressBar(TextWriter writer, bool redraw, int? columns, TimeProvider time, TimeSpan plainInterval)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(time);
        (_writer, _redraw, _columns, _time, _plainInterval) = (writer, redraw, columns, time, plainInterval);
    }

    /// <summary>
    /// The line for a job of <paramref name="kind"/>: with a bar, percent and <paramref name="remaining"/> when
    /// <paramref name="progress"/> is known, else the counts and <paramref name="elapsed"/>. A reconciliation shows
    /// what it repaired as well, the count that matters for it.
    /// </summary>
    public static string Render(string kind, JobCounts counts, double? progress, TimeSpan? remaining, TimeSpan elapsed)
    {
        ArgumentNullException.ThrowIfNull(counts);
        var tally = $"fetched {Formatting.Count(counts.Fetched)}  applied {Formatting.Count(counts.Applied)}  " +
            $"dup {Formatting.Count(counts.Duplicate)}  failed {Formatting.Count(counts.Failed)}" +
            (kind == "reconcile" ? $"  repaired {Formatting.Count(counts.Repaired)}" : "");
        if (progress is not { } known || Formatting.Percent(known) is not { } percent)
        {
            return $"{Formatting.OneLine(kind)}  {tally}  elapsed {Formatting.Duration(elapsed)}";
        }

        var filled = (int)Math.Floor(Math.Clamp(known, 0, 1) * BarWidth);
        var bar = new string('#', filled) + new string('-', BarWidth - filled);
        var eta = remaining is { } left ? Formatting.Duration(left) : "-:--";
        return $"{Formatting.OneLine(kind)} [{bar}] {percent,3}%  {tally}  ETA {eta}";
    }

    /// <summary>Draws <paramref name="job"/>'s state: redrawn in place, or as a plain line when one is due.</summary>
    public void Show(JobInfo job)
    {
        ArgumentNullException.ThrowIfNull(job);
        var now = _time.GetUtcNow();
        var line = Render(job.Kind, job.Counts, job.Progress, EstimateRemaining(job, now), Formatting.RunTime(job, now));
        if (!_redraw)
        {
            if (_lastPlainLine is not { } last || now - last >= _plainInterval)
            {
                _writer.WriteLine(line);
                _lastPlainLine = now;
            }
            return;
        }

        if (_columns is > 1 && line.Length >= _columns)
        {
            line = line[..(_columns.Value - 1)];
        }
        // Padding to the previous length wipes what a longer line left behind.
        _writer.Write('\r' + line.PadRight(_drawn));
        _writer.Flush();
        _drawn = line.Length;
    }

    /// <summary>Writes <paramref name="message"/> on a line of its own, wiping the bar first; the next <see cref="Show"/> draws it again below.</summary>
    public void Note(string message)
    {
        Wipe();
        _writer.WriteLine(message);
    }

    /// <summary>Leaves the last drawn bar on screen and moves to the next line, so what follows starts clean.</summary>
    public void Finish()
    {
        if (_redraw && _drawn > 0)
        {
            _writer.WriteLine();
            _drawn = 0;
        }
    }

    /// <summary>
    /// Time left at the rate progress moved while being followed, which is immune to skew between this machine's clock
    /// and the cluster's; until it has moved for <see cref="MinimumRateWindow"/>, the job's average rate since it
    /// started. Null while nothing moved, or when the estimate is past believing.
    /// </summary>
    private TimeSpan? EstimateRemaining(JobInfo job, DateTimeOffset now)
    {
        if (job.Progress is not { } progress || !double.IsFinite(progress))
        {
            return null;
        }
        if (progress >= 1)
        {
            return TimeSpan.Zero;
        }

        _firstSample ??= (now, progress);
        var (since, from) = _firstSample.Value;
        double seconds;
        if (progress > from && now - since >= MinimumRateWindow)
        {
            seconds = (now - since).TotalSeconds * (1 - progress) / (progress - from);
        }
        else if (progress > 0 && Formatting.RunTime(job, now) is { } elapsed && elapsed > TimeSpan.Zero)
        {
            seconds = elapsed.TotalSeconds * (1 - progress) / progress;
        }
        else
        {
            return null;
        }
        return seconds <= LongestEstimate.TotalSeconds ? TimeSpan.FromSeconds(Math.Ceiling(seconds)) : null;
    }

    private void Wipe()
    {
        if (_redraw && _drawn > 0)
        {
            _writer.Write('\r' + new string(' ', _drawn) + '\r');
            _drawn = 0;
        }
    }
}
