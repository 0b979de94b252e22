namespace Billing.Outbound;

/// <summary>A message an endpoint refused for good, kept for an operator to inspect and replay.</summary>
/// <param name="Id">The dead letter's id (ascending with time).</param>
/// <param name="MessageId">The message's id (<c>{customer}:{version}</c> or a Stripe event id).</param>
/// <param name="MessageType">The message's type, e.g. <c>entitlements.changed</c>.</param>
/// <param name="Target">Whose endpoint refused it.</param>
/// <param name="CustomerId">The customer the message is about.</param>
/// <param name="Endpoint">The URL that refused it (and that a replay sends to).</param>
/// <param name="Body">The JSON body exactly as it was sent; null in lists (ask for one dead letter to get it).</param>
/// <param name="StatusCode">The endpoint's answer, e.g. 404.</param>
/// <param name="Error">What the endpoint said: status, reason and the start of its answer.</param>
/// <param name="CreatedAt">When the dead letter was stored (database clock).</param>
/// <param name="ReplayedAt">When a replay was answered 2xx; null while pending.</param>
/// <param name="ReplayStatusCode">The 2xx that the successful replay got.</param>
/// <param name="PurgedAt">
/// When the retention purge removed its receiver answer, its body's URLs and its endpoint's path and query (it can no
/// longer be replayed); null before.
/// </param>
public sealed record DeadLetter(
    long Id,
    string MessageId,
    string MessageType,
    OutboundTarget Target,
    string CustomerId,
    string Endpoint,
    string? Body,
    int? StatusCode,
    string Error,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ReplayedAt,
    int? ReplayStatusCode,
    DateTimeOffset? PurgedAt = null)
{
    /// <summary>Whether no replay has succeeded yet.</summary>
    public bool IsPending => ReplayedAt is null;
}
