using Microsoft.Extensions.Options;
using Stripe;

namespace Billing.Gateway.Webhooks;

/// <summary>
/// Checks <c>Stripe-Signature</c> with Stripe.net against every configured secret, so secrets can be rotated.
/// Stripe.net compares in constant time, accepts several <c>v1</c> entries and rejects timestamps outside the
/// tolerance in either direction.
/// </summary>
public sealed class StripeSignatureVerifier(IOptionsMonitor<StripeOptions> options)
{
    /// <summary>Null when the signature is valid; otherwise why it is not.</summary>
    public string? Verify(string payload, string? signatureHeader)
    {
        if (string.IsNullOrWhiteSpace(signatureHeader))
        {
            return "missing Stripe-Signature header";
        }

        var current = options.CurrentValue;
        string? failure = null;
        foreach (var secret in current.WebhookSecrets)
        {
            try
            {
                EventUtility.ValidateSignature(payload, signatureHeader, secret, current.SignatureToleranceSeconds);
                return null;
            }
            catch (StripeException exception)
            {
                failure = exception.Message;
            }
        }

        return failure ?? "no webhook secret is configured";
    }
}
