namespace Billing.Testing;

/// <summary>
/// The system's clock moved by <see cref="Offset"/> (settable at any time): tests move a host's "now" past a retention
/// without waiting. Timers and timestamps are the system's.
/// </summary>
public sealed class ShiftedTimeProvider : TimeProvider
{
    private long _offsetTicks;

    /// <summary>How far this clock is ahead of the system's.</summary>
    public TimeSpan Offset
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));
        set => Interlocked.Exchange(ref _offsetTicks, value.Ticks);
    }

    /// <inheritdoc/>
    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;
}
