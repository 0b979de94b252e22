using Billing.Grains;
using Microsoft.Extensions.Options;

namespace Billing.Silo.Hosting;

/// <summary>Refuses to start with a configuration that would silently mis-derive entitlements.</summary>
internal sealed class BillingOptionsValidator : IValidateOptions<BillingOptions>
{
    public ValidateOptionsResult Validate(string? name, BillingOptions options)
    {
        var failures = options.Validate().ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
