namespace Billing.Grains.Fanout;

/// <summary>The Orleans streams the customer grain fans out on; one stream per customer in each namespace.</summary>
public static class FanoutStreams
{
    /// <summary>The stream provider (memory streams: the customer grain's outbox makes them reliable).</summary>
    public const string ProviderName = "billing";

    /// <summary>Where <see cref="EntitlementsChanged"/> messages go (FulfillmentGrain).</summary>
    public const string Fulfillment = "fulfillment";

    /// <summary>Where <see cref="CustomerNotification"/> messages go (NotificationGrain).</summary>
    public const string Notifications = "notifications";
}
