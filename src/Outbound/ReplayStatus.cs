namespace Billing.Outbound;

/// <summary>What one replay of a dead letter did.</summary>
public enum ReplayStatus
{
    /// <summary>The endpoint answered 2xx: the dead letter is marked replayed.</summary>
    Delivered,

    /// <summary>The endpoint answered something else; the dead letter stays pending.</summary>
    Rejected,

    /// <summary>No answer (timeout, connection error); the dead letter stays pending.</summary>
    Unreachable,

    /// <summary>Nothing was sent: this host has no <c>Billing:Outbound:SigningSecret</c> to sign with.</summary>
    NotSigned,

    /// <summary>Nothing was sent: the dead letter outlived <c>Billing:Outbound:DeadLetterRetention</c> and was purged.</summary>
    Purged,
}
