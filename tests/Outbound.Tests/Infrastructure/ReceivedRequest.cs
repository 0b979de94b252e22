namespace Billing.Outbound.Tests.Infrastructure;

/// <summary>One request as the receiver saw it.</summary>
public sealed record ReceivedRequest(
    string Endpoint,
    string Method,
    string? ContentType,
    string? Signature,
    string? MessageId,
    string? MessageType,
    byte[] Body,
    DateTimeOffset ReceivedAt)
{
    public string BodyText => System.Text.Encoding.UTF8.GetString(Body);
}
