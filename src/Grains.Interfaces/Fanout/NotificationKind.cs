namespace Billing.Grains.Fanout;

/// <summary>What a customer should be told about.</summary>
[GenerateSerializer]
[Alias("billing.NotificationKind")]
public enum NotificationKind
{
    /// <summary><c>notification.payment_failed</c></summary>
    PaymentFailed = 0,

    /// <summary><c>notification.payment_recovered</c></summary>
    PaymentRecovered = 1,

    /// <summary><c>notification.access_suspended</c></summary>
    AccessSuspended = 2,

    /// <summary><c>notification.trial_will_end</c></summary>
    TrialWillEnd = 3,

    /// <summary><c>notification.subscription_canceled</c></summary>
    SubscriptionCanceled = 4,
}
