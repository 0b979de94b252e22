namespace Billing.Insights.State;

/// <summary>The dispute ratio's inputs for one UTC day.</summary>
public sealed class DayBucket
{
    /// <summary>Days since the Unix epoch.</summary>
    public long Day { get; set; }

    /// <summary>Successful payments (card setups excluded).</summary>
    public int Successes { get; set; }

    /// <summary>Disputes opened.</summary>
    public int Disputes { get; set; }
}
