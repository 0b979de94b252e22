using Microsoft.Extensions.Options;

namespace Billing.Insights;

/// <summary>Refuses to start with detection options that make no sense (see <see cref="DetectionOptions.Validate"/>).</summary>
public sealed class DetectionOptionsValidator : IValidateOptions<DetectionOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, DetectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = options.Validate().ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
