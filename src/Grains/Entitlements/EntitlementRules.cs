using System.Collections.Immutable;
using Billing.Grains.Customers;
using Billing.Grains.Events;
using Billing.Grains.Subscriptions;

namespace Billing.Grains.Entitlements;

/// <summary>
/// The contract's entitlement rules as one pure function of a customer's state, the time and the configuration.
/// </summary>
public static class EntitlementRules
{
    /// <summary>Derives access and features from <paramref name="state"/> at <paramref name="now"/>.</summary>
    public static EntitlementDecision Evaluate(CustomerState state, DateTimeOffset now, BillingOptions options)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(options);

        if (state.Deleted)
        {
            return new EntitlementDecision(AccessState.None, [], null);
        }

        var subscriptions = state.Subscriptions.Values;
        var (access, graceEndsAt) = DecideAccess(state, subscriptions, now, options.Dunning.GracePeriod);
        if (access == AccessState.Suspended)
        {
            return new EntitlementDecision(access, [], null);
        }

        var features = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var subscription in subscriptions)
        {
            var grants = SubscriptionStatus.GrantsAccess(subscription.Status) ||
                         (subscription.Status == SubscriptionStatus.PastDue && graceEndsAt is not null);
            if (grants)
            {
                foreach (var item in subscription.Items)
                {
                    AddFeatures(features, item, options.Catalog);
                }
            }
        }

        foreach (var lookupKey in state.EntitlementSummary?.LookupKeys ?? [])
        {
            AddFeature(features, lookupKey);
        }

        return new EntitlementDecision(access, [.. features], graceEndsAt);
    }

    private static (AccessState Access, DateTimeOffset? GraceEndsAt) DecideAccess(
        CustomerState state, IEnumerable<SubscriptionRecord> subscriptions, DateTimeOffset now, TimeSpan gracePeriod)
    {
        var pastDue = new List<SubscriptionRecord>();
        var suspended = false;
        foreach (var subscription in subscriptions)
        {
            if (SubscriptionStatus.GrantsAccess(subscription.Status))
            {
                return (AccessState.Active, null);
            }

            if (subscription.Status == SubscriptionStatus.PastDue)
            {
                pastDue.Add(subscription);
            }

            suspended |= SubscriptionStatus.Suspends(subscription.Status);
        }

        if (pastDue.Count > 0)
        {
            // Dunning begins at the first failed payment not yet followed by a payment, or else at the first
            // event that showed a subscription past due.
            var dunningStart = state.Dunning.FirstUnpaidFailureAt ??
                               pastDue.Min(s => s.PastDueSince ?? s.Created);
            var graceEndsAt = DateTimeOffset.FromUnixTimeSeconds(dunningStart) + gracePeriod;
            if (now < graceEndsAt)
            {
                return (AccessState.Grace, graceEndsAt);
            }

            suspended = true;
        }

        return (suspended ? AccessState.Suspended : AccessState.None, null);
    }

    private static void AddFeatures(SortedSet<string> features, SubscriptionItem item, Dictionary<string, string[]> catalog)
    {
        foreach (var feature in item.MetadataFeatures)
        {
            AddFeature(features, feature);
        }

        foreach (var key in (ReadOnlySpan<string?>)[item.PriceId, item.LookupKey, item.ProductId])
        {
            if (key is not null && catalog.TryGetValue(key, out var granted))
            {
                foreach (var feature in granted)
                {
                    AddFeature(features, feature);
                }
            }
        }
    }

    private static void AddFeature(SortedSet<string> features, string feature)
    {
        // Catalog entries may be written "a,b" in one value as well as as an array.
        foreach (var part in feature.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            features.Add(part);
        }
    }
}
