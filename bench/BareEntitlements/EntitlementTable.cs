using System.Collections.Frozen;
using Billing.V1;
using Google.Protobuf.WellKnownTypes;

namespace Billing.Bench.BareEntitlements;

/// <summary>Every customer's entitlements, built once at start-up and never changed.</summary>
public sealed class EntitlementTable(FrozenDictionary<string, CustomerEntitlements> customers)
{
    private static readonly string[][] FeatureSets = [["reports"], ["exports", "reports"], ["exports", "reports", "sso"], []];

    /// <summary>Customers <c>{prefix}0</c> … <c>{prefix}{count - 1}</c>, with a spread of access states.</summary>
    public static EntitlementTable Create(string prefix, int count)
    {
        var updatedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow);
        var customers = new Dictionary<string, CustomerEntitlements>(count, StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var features = FeatureSets[i % FeatureSets.Length];
            var entitlements = new CustomerEntitlements
            {
                CustomerId = $"{prefix}{i}",
                Access = features.Length > 0 ? AccessState.Active : AccessState.None,
                Version = 1,
                UpdatedAt = updatedAt,
            };
            entitlements.Features.AddRange(features);
            customers[entitlements.CustomerId] = entitlements;
        }

        return new EntitlementTable(customers.ToFrozenDictionary(StringComparer.Ordinal));
    }

    /// <summary>The customer's entitlements; a customer never seen has none (as in the contract).</summary>
    public CustomerEntitlements Get(string customerId) =>
        customers.TryGetValue(customerId, out var entitlements)
            ? entitlements
            : new CustomerEntitlements { CustomerId = customerId, Access = AccessState.None };
}
