namespace Billing.Grains;

/// <summary>The <c>Billing:Dunning</c> configuration section.</summary>
public sealed class DunningOptions
{
    /// <summary>How long a customer keeps access after a failed payment.</summary>
    public TimeSpan GracePeriod { get; init; } = TimeSpan.FromDays(3);
}
