using Billing.ServiceDefaults;
using Microsoft.Extensions.Options;

namespace Billing.Gateway.Webhooks;

/// <summary>A gateway without a webhook secret would refuse every event: refuse to start instead.</summary>
internal sealed class StripeOptionsValidator : IValidateOptions<StripeOptions>
{
    public ValidateOptionsResult Validate(string? name, StripeOptions options)
    {
        var failures = new List<string>();
        if (options.WebhookSecrets.Length == 0)
        {
            failures.Add("Stripe:WebhookSecrets needs at least one webhook signing secret (whsec_…), e.g. " +
                         "Stripe__WebhookSecrets__0=whsec_… in the environment.");
        }

        if (options.WebhookSecrets.Any(PlaceholderSecrets.IsPlaceholder))
        {
            failures.Add("Stripe:WebhookSecrets must not contain an empty or placeholder secret (e.g. whsec_CHANGE_ME): " +
                         "use the signing secret Stripe shows for the endpoint (or `stripe listen` prints).");
        }

        if (options.SignatureToleranceSeconds <= 0)
        {
            failures.Add("Stripe:SignatureToleranceSeconds must be positive.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
