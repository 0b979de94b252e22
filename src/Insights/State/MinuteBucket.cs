namespace Billing.Insights.State;

/// <summary>The signals of one minute.</summary>
public sealed class MinuteBucket
{
    /// <summary>Minutes since the Unix epoch.</summary>
    public long Minute { get; set; }

    /// <summary>Failed payment and card-setup attempts.</summary>
    public int Failures { get; set; }

    /// <summary>Successful payment and card-setup attempts.</summary>
    public int Successes { get; set; }

    /// <summary>Failures of card setups (SetupIntents).</summary>
    public int SetupFailures { get; set; }

    /// <summary>Failures of small amounts (card testing's probes).</summary>
    public int SmallFailures { get; set; }

    /// <summary>Failures with a card-number or CVC decline code.</summary>
    public int CardCodeFailures { get; set; }

    /// <summary>Refunds.</summary>
    public int Refunds { get; set; }
}
