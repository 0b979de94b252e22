namespace Billing.Grains.Risk;

/// <summary>One row of the at-risk list.</summary>
/// <param name="CustomerId">The customer key (<c>cus_…</c> or <c>acct_…/cus_…</c>).</param>
/// <param name="Assessment">The assessment as of the read (reasons whose window passed are dropped).</param>
/// <param name="UpdatedAt">When the customer's assessment last changed (the journal time of the change).</param>
[GenerateSerializer]
[Immutable]
[Alias("billing.AtRiskCustomer")]
public sealed record AtRiskCustomer(
    [property: Id(0)] string CustomerId,
    [property: Id(1)] RiskAssessment Assessment,
    [property: Id(2)] DateTimeOffset UpdatedAt);
