namespace Billing.Outbound;

/// <summary>What became of one message, over every endpoint of its target.</summary>
public enum DeliveryOutcome
{
    /// <summary>Every endpoint answered 2xx.</summary>
    Delivered,

    /// <summary>The target has no endpoint: the message was logged (id and type), nothing was sent.</summary>
    NotConfigured,

    /// <summary>
    /// At least one endpoint refused the message for good (a 4xx other than 408/429, or a redirect): it is stored in
    /// the dead letters for that endpoint, never retried; every other endpoint answered 2xx.
    /// </summary>
    DeadLettered,

    /// <summary>
    /// At least one endpoint failed transiently (timeout, connection error, 408, 429, 5xx) through every in-call
    /// retry, or a dead letter could not be stored: the caller must deliver the message again later.
    /// </summary>
    RetryLater,
}
