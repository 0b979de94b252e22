namespace Billing.Grains.Events;

/// <summary>What churn risk needs of a refunded or disputed charge: ids and amounts, never card or billing details.</summary>
/// <param name="ChargeId">The charge (<c>ch_…</c>), when the payload names it.</param>
/// <param name="Amount">The amount refunded or disputed, in the currency's smallest unit.</param>
/// <param name="Currency">ISO currency code, lower case as Stripe writes it.</param>
[GenerateSerializer]
[Immutable]
[Alias("billing.ChargeFacts")]
public sealed record ChargeFacts(
    [property: Id(0)] string? ChargeId,
    [property: Id(1)] long? Amount,
    [property: Id(2)] string? Currency);
