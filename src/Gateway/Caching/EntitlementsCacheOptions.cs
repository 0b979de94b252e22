using System.ComponentModel.DataAnnotations;

namespace Billing.Gateway.Caching;

/// <summary><c>Gateway:EntitlementsCache</c>: the gateway's near-cache of entitlements (see docs/adr/0006).</summary>
public sealed class EntitlementsCacheOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Gateway:EntitlementsCache";

    /// <summary>When false, every read asks the customer's grain.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// How often each cached customer's subscription is renewed and its entitlements re-read: the longest a cached
    /// answer can lag if a change notification is lost (its grain's silo died, or the grain was reactivated).
    /// Below the grain's subscription lifetime (three times 20 s).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:00:50")]
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>A customer not read for this long leaves the cache (and its grain stops notifying this gateway).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The most customers cached; reads of others go to their grain.</summary>
    [Range(1, 10_000_000)]
    public int Capacity { get; set; } = 200_000;
}
