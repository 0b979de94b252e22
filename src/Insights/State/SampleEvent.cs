namespace Billing.Insights.State;

/// <summary>An event id kept as evidence, with its minute.</summary>
public sealed class SampleEvent
{
    /// <summary>The Stripe event id.</summary>
    public string EventId { get; set; } = "";

    /// <summary>Minutes since the Unix epoch.</summary>
    public long Minute { get; set; }
}
