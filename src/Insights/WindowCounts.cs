namespace Billing.Insights;

/// <summary>Signal counts over a window.</summary>
internal sealed class WindowCounts
{
    public int Failures { get; set; }

    public int Successes { get; set; }

    public int SetupFailures { get; set; }

    public int SmallFailures { get; set; }

    public int CardCodeFailures { get; set; }

    public int Refunds { get; set; }

    public int Frauds { get; set; }

    public int Attempts => Failures + Successes;
}
