using System.Text.Json;
using Billing.Recovery.Api;
using Microsoft.Extensions.Logging;

namespace Billing.Grains.Subscriptions;

/// <summary>
/// Reads a subscription's status from Stripe's API, when <c>Stripe:ApiKey</c> is set: one short attempt inside the
/// customer's turn, counted against the silo's Stripe budget like every other call.
/// </summary>
public sealed partial class StripeSubscriptionStatusSource(StripeApi stripe, ILogger<StripeSubscriptionStatusSource> logger)
    : ISubscriptionStatusSource
{
    /// <inheritdoc/>
    public async Task<string?> GetStatusAsync(string subscriptionId, string? account, CancellationToken cancellationToken = default)
    {
        if (!stripe.Configured)
        {
            return null;
        }

        var subscription = await stripe.TryGetQuicklyAsync($"/v1/subscriptions/{Uri.EscapeDataString(subscriptionId)}", account, cancellationToken);
        if (subscription is { ValueKind: JsonValueKind.Object } found && found.TryGetProperty("status", out var status) &&
            status.ValueKind == JsonValueKind.String)
        {
            return status.GetString();
        }

        // Stripe's answer only settles a tie; without it the contract's status order does.
        LogFetchFailed(subscriptionId);
        return null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not fetch subscription {SubscriptionId} from Stripe; the status order decides")]
    private partial void LogFetchFailed(string subscriptionId);
}
