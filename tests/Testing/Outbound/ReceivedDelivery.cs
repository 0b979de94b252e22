using System.Text;
using System.Text.Json;

namespace Billing.Testing.Outbound;

/// <summary>One request as the <see cref="RecordingReceiver"/> saw it: an outbound delivery, headers and body.</summary>
public sealed record ReceivedDelivery(
    string Path,
    string Method,
    string? ContentType,
    string? Signature,
    string? MessageId,
    string? MessageType,
    byte[] Body,
    DateTimeOffset ReceivedAt)
{
    /// <summary>The body as UTF-8 text.</summary>
    public string BodyText => Encoding.UTF8.GetString(Body);

    /// <summary>The body's <c>id</c>.</summary>
    public string Id => Json.RootElement.GetProperty("id").GetString()!;

    /// <summary>The body's <c>type</c>.</summary>
    public string Type => Json.RootElement.GetProperty("type").GetString()!;

    /// <summary>The parsed body.</summary>
    public JsonDocument Json => JsonDocument.Parse(BodyText);
}
