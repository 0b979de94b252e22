using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Billing.Outbound;

/// <summary>
/// Refuses to start with endpoints that cannot be signed or reached, a retry budget that makes no sense, or one that
/// outlives the grain turn it runs in (<c>Orleans:Messaging:ResponseTimeout</c>), or a dead-letter retention that
/// keeps nothing long enough to look at.
/// </summary>
internal sealed class OutboundOptionsValidator(IConfiguration configuration) : IValidateOptions<OutboundOptions>
{
    /// <summary>The shortest dead-letter retention accepted.</summary>
    public static readonly TimeSpan MinimumDeadLetterRetention = TimeSpan.FromSeconds(1);

    public ValidateOptionsResult Validate(string? name, OutboundOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        foreach (var target in Enum.GetValues<OutboundTarget>())
        {
            var key = OutboundOptions.EndpointsKeyFor(target);
            var endpoints = options.EndpointsFor(target);
            for (var i = 0; i < endpoints.Count; i++)
            {
                // The URL itself stays out of the message: its path or query may carry a receiver's token.
                if (!IsAbsoluteHttpUrl(endpoints[i]))
                {
                    failures.Add($"{key}:{i} must be an absolute http:// or https:// URL (e.g. https://fulfillment.internal/billing).");
                }
                else if (endpoints.Take(i).Any(other => string.Equals(other, endpoints[i], StringComparison.Ordinal)))
                {
                    failures.Add($"{key}:{i} repeats an earlier endpoint: each would receive every message twice.");
                }
            }
        }

        var anyEndpoint = options.FulfillmentEndpoints.Length > 0 || options.NotificationEndpoints.Length > 0;
        if (anyEndpoint && string.IsNullOrWhiteSpace(options.SigningSecret))
        {
            failures.Add(
                $"{OutboundOptions.SectionName}:SigningSecret is required when {OutboundOptions.FulfillmentEndpointsKey} or " +
                $"{OutboundOptions.NotificationEndpointsKey} is set: it signs every delivery (Billing-Signature). Set it, " +
                "e.g. Billing__Outbound__SigningSecret=<a long random string shared with the receivers>.");
        }

        if (options.MaxAttempts is < 1 or > 10)
        {
            failures.Add($"{OutboundOptions.SectionName}:MaxAttempts must be between 1 and 10.");
        }

        if (options.AttemptTimeout < TimeSpan.FromMilliseconds(10))
        {
            failures.Add($"{OutboundOptions.SectionName}:AttemptTimeout must be at least 10 ms (e.g. 00:00:05).");
        }

        if (options.TotalTimeout < options.AttemptTimeout)
        {
            failures.Add($"{OutboundOptions.SectionName}:TotalTimeout must be at least AttemptTimeout (e.g. 00:00:04).");
        }

        var responseTimeout = configuration.GetValue(OutboundOptions.ResponseTimeoutKey, OutboundOptions.DefaultResponseTimeout);
        if (options.TotalTimeout >= responseTimeout)
        {
            failures.Add(
                $"{OutboundOptions.SectionName}:TotalTimeout ({options.TotalTimeout}) must be below {OutboundOptions.ResponseTimeoutKey} " +
                $"({responseTimeout}): a delivery runs inside a consumer grain's turn, which must end before its caller gives up " +
                "(e.g. 00:00:04 with the default 00:00:05).");
        }

        if (options.DeadLetterRetention < MinimumDeadLetterRetention)
        {
            failures.Add($"{OutboundOptions.SectionName}:DeadLetterRetention must be at least 1 second (e.g. 30.00:00:00).");
        }

        if (options.RetryDelay < TimeSpan.Zero)
        {
            failures.Add($"{OutboundOptions.SectionName}:RetryDelay must not be negative.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsAbsoluteHttpUrl(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) &&
        (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) &&
        !string.IsNullOrEmpty(uri.Host);
}
