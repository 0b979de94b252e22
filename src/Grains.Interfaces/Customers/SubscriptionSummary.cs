namespace Billing.Grains.Customers;

/// <summary>A subscription as an operator sees it.</summary>
/// <param name="Id">The subscription id (<c>sub_…</c>).</param>
/// <param name="Status">Stripe's status of the latest snapshot applied.</param>
/// <param name="Created">The <c>created</c> of that snapshot's event.</param>
[GenerateSerializer]
[Immutable]
[Alias("billing.SubscriptionSummary")]
public sealed record SubscriptionSummary(
    [property: Id(0)] string Id,
    [property: Id(1)] string Status,
    [property: Id(2)] DateTimeOffset Created);
