using Billing.Grains.Customers;

namespace Billing.Grains.Journal;

/// <summary>A customer's entitlements as Billing held them at an instant.</summary>
/// <param name="Entitlements">The entitlements then; null when <paramref name="OutOfRange"/>.</param>
/// <param name="OutOfRange">The instant is older than the history kept (<c>Billing:Journal:Retention</c>).</param>
[GenerateSerializer]
[Immutable]
[Alias("billing.AsOfAnswer")]
public sealed record AsOfAnswer(
    [property: Id(0)] CustomerEntitlements? Entitlements,
    [property: Id(1)] bool OutOfRange);
