using System.Text.Json;
using Billing.Outbound;

namespace Billing.Gateway.Admin;

/// <summary>
/// One dead letter in <c>GET /admin/dead-letters/{id}</c>, with its body: the JSON as it was sent (embedded as JSON;
/// as a string if it was not valid JSON).
/// </summary>
public sealed record DeadLetterDetail(
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
    JsonElement Body)
{
    /// <summary>The detail of <paramref name="deadLetter"/>.</summary>
    public static DeadLetterDetail From(DeadLetter deadLetter)
    {
        ArgumentNullException.ThrowIfNull(deadLetter);
        return new(deadLetter.Id, deadLetter.MessageId, deadLetter.MessageType, DeadLetterStore.TargetName(deadLetter.Target),
            deadLetter.CustomerId, deadLetter.Endpoint, deadLetter.StatusCode, deadLetter.Error, deadLetter.CreatedAt,
            deadLetter.ReplayedAt, deadLetter.ReplayStatusCode, ReadBody(deadLetter.Body ?? string.Empty));
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
