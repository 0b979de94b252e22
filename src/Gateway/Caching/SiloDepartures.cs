namespace Billing.Gateway.Caching;

/// <summary>Raised when a silo may have left the cluster, and with it the grain subscriptions it held.</summary>
public sealed class SiloDepartures
{
    /// <summary>A silo left (or the connection to the cluster was lost).</summary>
    public event Action? Departed;

    /// <summary>Tells every listener.</summary>
    public void Signal() => Departed?.Invoke();
}
