using System.Globalization;
using System.Text;

namespace Billing.RecoveryTool;

/// <summary>How the tool writes numbers, times and jobs: invariant culture, so output reads the same on every machine and diffs cleanly.</summary>
internal static class Formatting
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary><c>52,100</c>.</summary>
    public static string Count(long value) => value.ToString("N0", Invariant);

    /// <summary><c>0:07</c>, <c>12:34</c>, <c>1:02:03</c> (hours keep counting past a day: <c>27:00:00</c>).</summary>
    public static string Duration(TimeSpan value)
    {
        var seconds = (long)Math.Max(0, Math.Floor(value.TotalSeconds));
        var (hours, minutes, rest) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
        return hours > 0
            ? string.Create(Invariant, $"{hours}:{minutes:D2}:{rest:D2}")
            : string.Create(Invariant, $"{minutes}:{rest:D2}");
    }

    /// <summary><c>2026-01-02 10:00:00Z</c>: UTC, as the cluster records it.</summary>
    public static string Time(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", Invariant);

    /// <summary>
    /// Whole percent, rounded down so that 100% means finished (0.999 is 99%); null when the job cannot tell.
    /// </summary>
    public static int? Percent(double? progress) =>
        progress is { } p && double.IsFinite(p) ? (int)Math.Floor(Math.Clamp(p, 0, 1) * 100) : null;

    /// <summary>
    /// <paramref name="text"/> on one line with no control characters: ids and errors come from the cluster (and from
    /// Stripe through it), and must neither break a table nor send escape sequences to the operator's terminal.
    /// </summary>
    public static string OneLine(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            builder.Append(char.IsControl(c) ? ' ' : c);
        }
        return builder.ToString().Trim();
    }

    /// <summary>The counts in full: <c>fetched 100,000, applied 99,990, duplicate 10, ignored 0, failed 0, repaired 0</c>.</summary>
    public static string Counts(JobCounts counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        return $"fetched {Count(counts.Fetched)}, applied {Count(counts.Applied)}, duplicate {Count(counts.Duplicate)}, " +
            $"ignored {Count(counts.Ignored)}, failed {Count(counts.Failed)}, repaired {Count(counts.Repaired)}";
    }

    /// <summary>
    /// How long a job ran: to <see cref="JobInfo.FinishedAt"/>, or to <paramref name="now"/> while it runs. Both ends
    /// are the cluster's clock when it finished, so the local clock's skew does not show.
    /// </summary>
    public static TimeSpan RunTime(JobInfo job, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(job);
        var end = job.FinishedAt ?? now;
        return end > job.StartedAt ? end - job.StartedAt : TimeSpan.Zero;
    }

    /// <summary>
    /// The line that ends a followed job, e.g. <c>import import_20260102T100000_1a2b3c4d done in 0:51: fetched 100,000, …</c>;
    /// a failed job shows its last error before its counts.
    /// </summary>
    public static string Summary(JobInfo job, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(job);
        var head = $"{OneLine(job.Kind)} {OneLine(job.Id)}";
        var took = Duration(RunTime(job, now));
        return job.State switch
        {
            JobStates.Done => $"{head} done in {took}: {Counts(job.Counts)}",
            JobStates.Failed => $"{head} failed after {took}: {(job.LastError is { Length: > 0 } error ? OneLine(error) : "no error recorded")}; {Counts(job.Counts)}",
            _ => $"{head} {OneLine(job.State)} after {took}: {Counts(job.Counts)}",
        };
    }

    /// <summary>One job on one line (what <c>--no-wait</c> prints): id, kind, state, start, progress, counts, last error.</summary>
    public static string JobLine(JobInfo job)
    {
        ArgumentNullException.ThrowIfNull(job);
        var progress = Percent(job.Progress) is { } percent ? $" {percent}%" : "";
        var error = job.LastError is { Length: > 0 } lastError ? $"; last error: {OneLine(lastError)}" : "";
        return $"{OneLine(job.Kind)} {OneLine(job.Id)} {OneLine(job.State)}{progress}, started {Time(job.StartedAt)}: {Counts(job.Counts)}{error}";
    }

    /// <summary>
    /// Columns padded to their widest cell, two spaces apart; the columns in <paramref name="rightAligned"/> (numbers)
    /// are aligned right. The last column is not padded, so lines carry no trailing spaces.
    /// </summary>
    public static IReadOnlyList<string> Table(IReadOnlyList<string> headers, IReadOnlyList<IReadOnlyList<string>> rows, ISet<int> rightAligned)
    {
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(rightAligned);
        var widths = headers.Select((header, column) => rows.Select(row => row[column].Length).Append(header.Length).Max()).ToArray();
        return [.. rows.Prepend(headers).Select(row => string.Join("  ", row.Select((cell, column) =>
            rightAligned.Contains(column) ? cell.PadLeft(widths[column])
            : column == row.Count - 1 ? cell
            : cell.PadRight(widths[column]))).TrimEnd())];
    }
}
