namespace Billing.Gateway.Tests.Infrastructure;

/// <summary>A switch tests flip to make the silo's grain storage fail, as a PostgreSQL outage would.</summary>
public sealed class StorageFaults
{
    private volatile bool _failWrites;

    /// <summary>While true, every grain state write throws.</summary>
    public bool FailWrites
    {
        get => _failWrites;
        set => _failWrites = value;
    }

    private long _writeDelayTicks;

    /// <summary>Every grain state write waits this long first, as a slow database would.</summary>
    public TimeSpan WriteDelay
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _writeDelayTicks));
        set => Interlocked.Exchange(ref _writeDelayTicks, value.Ticks);
    }

    private int _conflictingWrites;

    /// <summary>The next this many grain state writes fail with an ETag conflict, as when another activation wrote first.</summary>
    public int ConflictingWrites
    {
        get => Volatile.Read(ref _conflictingWrites);
        set => Volatile.Write(ref _conflictingWrites, value);
    }

    /// <summary>Takes one of <see cref="ConflictingWrites"/>; true when this write must conflict.</summary>
    public bool TakeConflict()
    {
        while (true)
        {
            var left = Volatile.Read(ref _conflictingWrites);
            if (left <= 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _conflictingWrites, left - 1, left) == left)
            {
                return true;
            }
        }
    }
}
