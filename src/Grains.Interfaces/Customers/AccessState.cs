namespace Billing.Grains.Customers;

/// <summary>A customer's access, as in the contract (values match <c>billing.v1.AccessState</c>).</summary>
[GenerateSerializer]
[Alias("billing.AccessState")]
public enum AccessState
{
    /// <summary>No subscription grants access.</summary>
    None = 1,

    /// <summary>A subscription is active or trialing.</summary>
    Active = 2,

    /// <summary>Past due, inside the dunning grace period.</summary>
    Grace = 3,

    /// <summary>Grace expired, unpaid or paused.</summary>
    Suspended = 4,
}
