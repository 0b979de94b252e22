using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Stripe;

namespace Billing.Grains.Subscriptions;

/// <summary>Reads a subscription's status from Stripe's API with Stripe.net, when <c>Stripe:ApiKey</c> is set.</summary>
public sealed partial class StripeSubscriptionStatusSource(
    IOptions<StripeApiOptions> options,
    ILogger<StripeSubscriptionStatusSource> logger) : ISubscriptionStatusSource
{
    private readonly SubscriptionService? _subscriptions = options.Value.ApiKey is { Length: > 0 } apiKey
        ? new SubscriptionService(new StripeClient(new StripeClientOptions
        {
            ApiKey = apiKey,
            ApiBase = options.Value.ApiBase?.ToString().TrimEnd('/'),
        }))
        : null;

    /// <inheritdoc/>
    public async Task<string?> GetStatusAsync(string subscriptionId, string? account, CancellationToken cancellationToken = default)
    {
        if (_subscriptions is null)
        {
            return null;
        }

        try
        {
            var requestOptions = account is null ? null : new RequestOptions { StripeAccount = account };
            var subscription = await _subscriptions.GetAsync(subscriptionId, requestOptions: requestOptions, cancellationToken: cancellationToken);
            return subscription.Status;
        }
        catch (Exception exception) when (exception is StripeException or HttpRequestException or TaskCanceledException)
        {
            // Stripe's answer only settles a tie; without it the contract's status order does.
            LogFetchFailed(exception, subscriptionId);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not fetch subscription {SubscriptionId} from Stripe; the status order decides")]
    private partial void LogFetchFailed(Exception exception, string subscriptionId);
}
