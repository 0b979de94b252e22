using System.Text;
using System.Text.Json;

namespace Billing.Testing.Outbound;

/// <summary>
/// One request as the <see cref="RecordingReceiver"/> saw it: an outbound delivery, headers and body;
/// <see cref="TraceParent"/> is its W3C <c>traceparent</c> header (null without one).
/// </summary>
public sealed record ReceivedDelivery(
    string Path,
    string Method,
    string? ContentType,
    string? Signature,
    string? MessageId,
    string? MessageType,
    byte[] Body,
    DateTimeOffset ReceivedAt,
    string? TraceParent = null)
{
    /// <summary>The trace id of <see cref="TraceParent"/> (<c>00-&lt;trace id&gt;-&lt;span id&gt;-&lt;flags&gt;</c>), or null.</summary>
    public string? TraceId => TraceParent?.Split('-') is [_, var traceId, _, _] ? traceId : null;

    /// <summary>The body as UTF-8 text.</summary>
    public string BodyText => Encoding.UTF8.GetString(Body);

    /// <summary>The body's <c>id</c>.</summary>
    public string Id => Json.RootElement.GetProperty("id").GetString()!;

    /// <summary>The body's <c>type</c>.</summary>
    public string Type => Json.RootElement.GetProperty("type").GetString()!;

    /// <summary>The parsed body.</summary>
    public JsonDocument Json => JsonDocument.Parse(BodyText);
}
