namespace Billing.Grains.Fanout;

/// <summary>
/// The Orleans streams the customer grain fans out on; one stream per customer in each namespace. The names are
/// also the consumers' names in the journal's cursor table.
/// </summary>
public static class FanoutStreams
{
    /// <summary>
    /// The stream provider (memory streams: they lose in-flight items when a silo dies; consumers fill such gaps from
    /// the journal).
    /// </summary>
    public const string ProviderName = "billing";

    /// <summary>Where <see cref="FanoutItem"/>s with a change of entitlements go (FulfillmentGrain).</summary>
    public const string Fulfillment = "fulfillment";

    /// <summary>Where <see cref="FanoutItem"/>s with notifications go (NotificationGrain).</summary>
    public const string Notifications = "notifications";
}
