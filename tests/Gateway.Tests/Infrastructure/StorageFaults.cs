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
}
