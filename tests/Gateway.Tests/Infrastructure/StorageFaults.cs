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
}
