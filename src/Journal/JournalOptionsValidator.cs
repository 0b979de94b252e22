using Microsoft.Extensions.Options;

namespace Billing.Journal;

/// <summary>Refuses to start with journal options that would break the contract (e.g. a retention below 30 days).</summary>
internal sealed class JournalOptionsValidator : IValidateOptions<JournalOptions>
{
    public ValidateOptionsResult Validate(string? name, JournalOptions options)
    {
        var failures = options.Validate().ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
