namespace Billing.Grains.Fanout;

/// <summary>
/// A notification's message: what a mailer needs, and no card or address data. <see cref="Id"/> is the Stripe event
/// id that caused it, or <c>{customer}:{version}</c> for a suspension by the grace timer.
/// </summary>
[GenerateSerializer]
[Immutable]
[Alias("billing.CustomerNotification")]
public sealed record CustomerNotification(
    [property: Id(0)] string Id,
    [property: Id(1)] NotificationKind Kind,
    [property: Id(2)] string CustomerId,
    [property: Id(3)] long Created,
    [property: Id(4)] long? Amount = null,
    [property: Id(5)] string? Currency = null,
    [property: Id(6)] string? HostedInvoiceUrl = null,
    [property: Id(7)] string? SubscriptionId = null,
    [property: Id(8)] long? TrialEnd = null) : IFanoutMessage;
