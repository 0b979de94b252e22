namespace Billing.Insights.Tests;

/// <summary>
/// A test over the shared Stripe fixtures (<c>../shared/fixtures/stripe</c>, or <c>BILLING_STRIPE_FIXTURES</c>):
/// skipped with a reason where a clone has no such folder, but run (and failing) when <c>CI=true</c>, so a green CI
/// cannot hide missing fixtures.
/// </summary>
public sealed class FixtureFactAttribute : FactAttribute
{
    /// <summary>Skips the test when the fixtures are absent outside CI.</summary>
    public FixtureFactAttribute()
    {
        if (Fixtures.Directory is null && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Skip = $"Stripe fixtures not found: put them in ../shared/fixtures/stripe beside the repository or set {Fixtures.EnvironmentVariable}.";
        }
    }
}
