using System.Text.Json;

namespace Billing.Recovery.Api;

/// <summary>One page of a Stripe list, read raw: each item as Stripe wrote it, whatever its API version's shape.</summary>
/// <param name="Items">The items, newest first as Stripe lists them.</param>
/// <param name="HasMore">Whether a further page exists.</param>
/// <param name="FetchedAt">When the answer arrived.</param>
public sealed record StripePage(IReadOnlyList<JsonElement> Items, bool HasMore, DateTimeOffset FetchedAt)
{
    /// <summary>The id of the last item (the next page's <c>starting_after</c>); null on an empty page.</summary>
    public string? LastId => Items.Count == 0 ? null
        : Items[^1].TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;
}

/// <summary>
/// Stripe refused a request in a way retrying cannot fix (a bad key, a missing permission, an unknown object or
/// cursor): the job stops and says so.
/// </summary>
public sealed class StripeRefusedException(int status, string? code, string message) : Exception(message)
{
    /// <summary>The HTTP status.</summary>
    public int Status { get; } = status;

    /// <summary>Stripe's error code, e.g. <c>resource_missing</c>.</summary>
    public string? Code { get; } = code;
}

/// <summary>Stripe could not be read now (429, 5xx, timeouts, network) even after the retries: try again later.</summary>
public sealed class StripeUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
