using Billing.ServiceDefaults;
using Microsoft.Extensions.Options;

namespace Billing.Gateway;

/// <summary>
/// Safe defaults: a gateway in <c>Production</c> does not start with its gRPC API and admin surface open unless
/// <c>Gateway:AllowAnonymous</c> says so on purpose, and no environment starts with a template's placeholder key.
/// </summary>
internal sealed class GatewayOptionsValidator(IHostEnvironment environment) : IValidateOptions<GatewayOptions>
{
    public ValidateOptionsResult Validate(string? name, GatewayOptions options)
    {
        var failures = new List<string>();
        foreach (var (setting, keys) in new[] { ("Gateway:ApiKeys", options.ApiKeys), ("Gateway:AdminApiKeys", options.AdminApiKeys) })
        {
            if (keys.Any(PlaceholderSecrets.IsPlaceholder))
            {
                failures.Add($"{setting} holds an empty or placeholder key (e.g. CHANGE_ME): replace it with a real random key " +
                             "(e.g. `openssl rand -hex 32`).");
            }
        }

        if (environment.IsProduction() && !options.AllowAnonymous && options.ApiKeys.Length == 0)
        {
            failures.Add(options.AdminApiKeys.Length == 0
                ? "Gateway:ApiKeys and Gateway:AdminApiKeys are empty: in Production the gRPC API and the admin surface would be open " +
                  "to anyone who reaches them. Set keys (Gateway__ApiKeys__0=…, Gateway__AdminApiKeys__0=…) or, to run without " +
                  "them on purpose, Gateway:AllowAnonymous=true."
                : "Gateway:ApiKeys is empty: in Production the gRPC API would be open to anyone who reaches it. Set " +
                  "Gateway__ApiKeys__0=… or, on purpose, Gateway:AllowAnonymous=true.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
