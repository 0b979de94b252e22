namespace Billing.Grains.Risk;

/// <summary>One stored row of the at-risk index (the in-memory index keeps these; PostgreSQL has the same columns).</summary>
/// <param name="CustomerKey">The customer key.</param>
/// <param name="Assessment">The assessment as written.</param>
/// <param name="UpdatedAt">When the assessment last changed (microseconds).</param>
internal sealed record RiskIndexRow(string CustomerKey, RiskAssessment Assessment, DateTimeOffset UpdatedAt)
{
    /// <summary>When nothing is left to show by itself; null when never.</summary>
    public DateTimeOffset? EmptyAt => Assessment.EmptyAt;

    /// <summary>PostgreSQL keeps microseconds: both stores keep the same instants, so cursors mean the same in both.</summary>
    public static DateTimeOffset Microseconds(DateTimeOffset value) => new(value.UtcTicks - (value.UtcTicks % 10), TimeSpan.Zero);
}
