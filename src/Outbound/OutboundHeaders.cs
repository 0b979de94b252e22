namespace Billing.Outbound;

/// <summary>The headers of an outbound delivery besides <c>Content-Type: application/json</c>.</summary>
public static class OutboundHeaders
{
    /// <summary>The signature (<see cref="OutboundSignature"/>).</summary>
    public const string Signature = "Billing-Signature";

    /// <summary>The message's id: receivers deduplicate by it (deliveries are at least once).</summary>
    public const string MessageId = "Billing-Message-Id";

    /// <summary>The message's type, e.g. <c>entitlements.changed</c> (also in the body).</summary>
    public const string MessageType = "Billing-Message-Type";
}
