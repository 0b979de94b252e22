using Billing.Grains.Customers;

namespace Billing.Gateway.Admin;

/// <summary>
/// <c>GET /admin/customers/{id}</c>: a customer's entitlements and subscriptions (times in UTC), and the heuristic
/// churn-risk assessment (<see cref="RiskView"/>).
/// </summary>
public sealed record CustomerView(
    string CustomerId,
    string Access,
    IReadOnlyList<string> Features,
    long Version,
    DateTime UpdatedAt,
    IReadOnlyList<SubscriptionView> Subscriptions,
    RiskView Risk)
{
    /// <summary>The view of <paramref name="overview"/>.</summary>
    public static CustomerView From(CustomerOverview overview)
    {
        ArgumentNullException.ThrowIfNull(overview);
        var entitlements = overview.Entitlements;
        return new CustomerView(entitlements.CustomerId, AccessName(entitlements.Access), entitlements.Features, entitlements.Version,
            entitlements.UpdatedAt.UtcDateTime,
            [.. overview.Subscriptions.Select(s => new SubscriptionView(s.Id, s.Status, s.Created.UtcDateTime))],
            RiskView.From(overview.Risk));
    }

    /// <summary>Access as outbound deliveries write it: <c>NONE</c>, <c>ACTIVE</c>, <c>GRACE</c>, <c>SUSPENDED</c>.</summary>
    public static string AccessName(AccessState access) => access.ToString().ToUpperInvariant();
}

/// <summary>A subscription in <see cref="CustomerView"/>.</summary>
public sealed record SubscriptionView(string Id, string Status, DateTime Created);
