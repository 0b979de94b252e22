using Microsoft.Extensions.Options;

namespace Billing.Recovery;

/// <summary>Refuses recovery settings that cannot work, at start-up.</summary>
public sealed class SyncOptionsValidator : IValidateOptions<StripeSyncOptions>, IValidateOptions<ReconcileOptions>, IValidateOptions<StripeApiOptions>
{
    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, StripeSyncOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        List<string> failures = [];
        if (options.PollInterval < TimeSpan.Zero)
        {
            failures.Add("Stripe:Sync:PollInterval must not be negative (00:00:00 turns polling off)");
        }

        if (options.MaxRequestsPerSecond is <= 0 or > 100)
        {
            failures.Add("Stripe:Sync:MaxRequestsPerSecond must be above 0 and at most 100 (Stripe's live-mode limit)");
        }

        if (options.Overlap < TimeSpan.Zero || options.Window <= TimeSpan.Zero || options.RequestTimeout <= TimeSpan.Zero ||
            options.RetryDelay <= TimeSpan.Zero || options.MaxRetryDelay < options.RetryDelay || options.StallDelay <= TimeSpan.Zero ||
            options.SchedulerInterval <= TimeSpan.Zero)
        {
            failures.Add("Stripe:Sync: Overlap must not be negative; Window, RequestTimeout, RetryDelay, StallDelay and SchedulerInterval must be positive; MaxRetryDelay at least RetryDelay");
        }

        if (options.MaxAttempts is < 1 or > 20)
        {
            failures.Add("Stripe:Sync:MaxAttempts must be between 1 and 20");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, ReconcileOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Interval < TimeSpan.Zero ? ValidateOptionsResult.Fail("Billing:Reconcile:Interval must not be negative (00:00:00 turns it off)")
            : options.MassDriftShare is <= 0 or > 1 ? ValidateOptionsResult.Fail("Billing:Reconcile:MassDriftShare must be above 0 and at most 1")
            : options.MassDriftMinimum < 1 ? ValidateOptionsResult.Fail("Billing:Reconcile:MassDriftMinimum must be at least 1")
            : ValidateOptionsResult.Success;
    }

    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, StripeApiOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var bad = options.ConnectedAccounts.Where(a => !a.StartsWith("acct_", StringComparison.Ordinal) || a.Contains('/', StringComparison.Ordinal)).ToArray();
        return bad.Length > 0
            ? ValidateOptionsResult.Fail($"Stripe:ConnectedAccounts must hold account ids (acct_…); {bad.Length} entry(ies) do not")
            : ValidateOptionsResult.Success;
    }
}
