namespace Billing.Gateway.Tests.Infrastructure;

/// <summary>Switches tests flip to make the silo's journal fail as a PostgreSQL outage, a slow disk or a handover would.</summary>
public sealed class JournalFaults
{
    private volatile bool _failAppends;
    private long _appendDelayTicks;
    private int _conflictingAppends;
    private int _unknownAfterCommit;

    /// <summary>While true, every append fails for certain (nothing written), as when the database refuses or is down.</summary>
    public bool FailAppends
    {
        get => _failAppends;
        set => _failAppends = value;
    }

    /// <summary>Every append waits this long first, as a slow database would.</summary>
    public TimeSpan AppendDelay
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _appendDelayTicks));
        set => Interlocked.Exchange(ref _appendDelayTicks, value.Ticks);
    }

    /// <summary>The next this many appends find the head moved (another activation appended first): nothing written.</summary>
    public int ConflictingAppends
    {
        get => Volatile.Read(ref _conflictingAppends);
        set => Volatile.Write(ref _conflictingAppends, value);
    }

    /// <summary>
    /// The next this many appends commit, and then report an unknown outcome, as when the connection breaks after the
    /// commit reached the disk but before its answer reached the silo.
    /// </summary>
    public int UnknownAfterCommit
    {
        get => Volatile.Read(ref _unknownAfterCommit);
        set => Volatile.Write(ref _unknownAfterCommit, value);
    }

    /// <summary>Takes one of <see cref="ConflictingAppends"/>.</summary>
    public bool TakeConflict() => Take(ref _conflictingAppends);

    /// <summary>Takes one of <see cref="UnknownAfterCommit"/>.</summary>
    public bool TakeUnknown() => Take(ref _unknownAfterCommit);

    private static bool Take(ref int counter)
    {
        while (true)
        {
            var left = Volatile.Read(ref counter);
            if (left <= 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref counter, left - 1, left) == left)
            {
                return true;
            }
        }
    }
}
