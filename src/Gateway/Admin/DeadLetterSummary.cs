using Billing.Outbound;

namespace Billing.Gateway.Admin;

/// <summary>One dead letter in <c>GET /admin/dead-letters</c>: everything but the body.</summary>
public sealed record DeadLetterSummary(
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
    int? ReplayStatusCode)
{
    /// <summary>The summary of <paramref name="deadLetter"/>.</summary>
    public static DeadLetterSummary From(DeadLetter deadLetter)
    {
        ArgumentNullException.ThrowIfNull(deadLetter);
        return new(deadLetter.Id, deadLetter.MessageId, deadLetter.MessageType, DeadLetterStore.TargetName(deadLetter.Target),
            deadLetter.CustomerId, deadLetter.Endpoint, deadLetter.StatusCode, deadLetter.Error, deadLetter.CreatedAt,
            deadLetter.ReplayedAt, deadLetter.ReplayStatusCode);
    }
}
