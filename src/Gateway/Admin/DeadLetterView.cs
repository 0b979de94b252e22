using System.Text.Json;
using System.Text.Json.Serialization;
using Billing.Outbound;

namespace Billing.Gateway.Admin;

/// <summary>
/// A dead letter as the admin API shows it: without its body in <c>GET /admin/dead-letters</c>, with it in
/// <c>GET /admin/dead-letters/{id}</c> (the JSON as it was sent, embedded as JSON; as a string if it was not JSON).
/// The endpoint is its scheme and host only: its path or query may carry the receiver's token
/// (<see cref="DeadLetterRedaction.Origin"/>). <c>purged_at</c>: when the retention purge removed the receiver's
/// answer and the body's URLs (it can no longer be replayed).
/// </summary>
public sealed record DeadLetterView(
    long Id,
    string MessageId,
    string MessageType,
    string Target,
    string CustomerId,
    string Endpoint,
    int? StatusCode,
    string Error,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ReplayedAt,
    int? ReplayStatusCode,
    DateTimeOffset? PurgedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] JsonElement? Body = null)
{
    /// <summary>The view of <paramref name="deadLetter"/>, with its body when <paramref name="withBody"/>.</summary>
    public static DeadLetterView From(DeadLetter deadLetter, bool withBody = false)
    {
        ArgumentNullException.ThrowIfNull(deadLetter);
        return new(deadLetter.Id, deadLetter.MessageId, deadLetter.MessageType, DeadLetterStore.TargetName(deadLetter.Target),
            deadLetter.CustomerId, DeadLetterRedaction.Origin(deadLetter.Endpoint), deadLetter.StatusCode, deadLetter.Error,
            deadLetter.CreatedAt, deadLetter.ReplayedAt, deadLetter.ReplayStatusCode, deadLetter.PurgedAt,
            withBody ? ReadBody(deadLetter.Body ?? string.Empty) : null);
    }

    private static JsonElement ReadBody(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return JsonSerializer.SerializeToElement(body, AdminJsonContext.Default.String);
        }
    }
}
