using System.ComponentModel.DataAnnotations;

namespace Billing.Gateway.Caching;

/// <summary><c>Gateway:EntitlementsCache</c>: the gateway's near-cache of entitlements (see docs/adr/0010).</summary>
public sealed class EntitlementsCacheOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Gateway:EntitlementsCache";

    /// <summary>When false, every read asks the customer's grain.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// How long a silo's feed may stay silent (it sends a heartbeat four times a second) before the customers known from
    /// it are read from their grains again: with the heartbeat, the longest a lost change can go unnoticed.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "00:01:00")]
    public TimeSpan SilenceTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The oldest a cached answer may be since its grain last confirmed it: a safety net beside the feeds, paid per read
    /// (an entry older than this is read from its grain once), never per cached customer.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>A customer not read for this long leaves the cache.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The most customers cached; reads of others go to their grain.</summary>
    [Range(1, 10_000_000)]
    public int Capacity { get; set; } = 200_000;
}
