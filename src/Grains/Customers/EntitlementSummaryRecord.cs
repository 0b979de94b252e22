namespace Billing.Grains.Customers;

/// <summary>The latest <c>entitlements.active_entitlement_summary.updated</c> applied.</summary>
/// <param name="Created">The event's <c>created</c>: an older summary changes nothing.</param>
/// <param name="EventId">Breaks ties between summaries of the same second, deterministically.</param>
/// <param name="LookupKeys">The active entitlements' lookup keys.</param>
public sealed record EntitlementSummaryRecord(long Created, string EventId, IReadOnlyList<string> LookupKeys);
