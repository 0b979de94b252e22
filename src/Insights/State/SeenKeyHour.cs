namespace Billing.Insights.State;

/// <summary>The dedupe hashes of the signals whose events Stripe created in one hour.</summary>
public sealed class SeenKeyHour
{
    /// <summary>Hours since the Unix epoch.</summary>
    public long Hour { get; set; }

    /// <summary>64-bit FNV-1a hashes of event ids and payment keys.</summary>
    public List<long> Hashes { get; set; } = [];
}
