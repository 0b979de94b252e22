using Billing.Bench.LoadGenerator.Events;
using Billing.V1;

namespace Billing.Bench.LoadGenerator.Consistency;

/// <summary>
/// What the contract says a customer's entitlements are after the acknowledged events: each subscription is at its
/// latest snapshot by <c>created</c> (deletion is final); ACTIVE if one is active or trialing, else GRACE if one is
/// past due (every generated lifecycle lies inside the grace period), else SUSPENDED if one is unpaid, else NONE.
/// Features: the catalog's features of the prices of the subscriptions that grant the access; none when suspended.
/// </summary>
internal sealed record ExpectedEntitlements(AccessState Access, IReadOnlyList<string> Features)
{
    /// <summary>The expectation from one customer's acknowledged events.</summary>
    public static ExpectedEntitlements From(IEnumerable<PlannedEvent> acknowledged)
    {
        var latest = new Dictionary<string, PlannedEvent>(StringComparer.Ordinal);
        foreach (var snapshot in acknowledged.Where(e => e.IsSubscription))
        {
            if (!latest.TryGetValue(snapshot.SubscriptionId!, out var current) || snapshot.Created > current.Created)
            {
                latest[snapshot.SubscriptionId!] = snapshot;
            }
        }

        var subscriptions = latest.Values.ToList();
        return Granting(subscriptions, "active", "trialing") is { Count: > 0 } active ? new(AccessState.Active, FeaturesOf(active))
            : Granting(subscriptions, "past_due") is { Count: > 0 } grace ? new(AccessState.Grace, FeaturesOf(grace))
            : Granting(subscriptions, "unpaid").Count > 0 ? new(AccessState.Suspended, [])
            : new(AccessState.None, []);
    }

    private static List<PlannedEvent> Granting(List<PlannedEvent> subscriptions, params string[] statuses) =>
        [.. subscriptions.Where(s => statuses.Contains(s.Status))];

    private static string[] FeaturesOf(IEnumerable<PlannedEvent> subscriptions) =>
        [.. subscriptions.SelectMany(s => BenchCatalog.Features[s.PriceId!]).Distinct().Order(StringComparer.Ordinal)];
}
