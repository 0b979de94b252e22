namespace Billing.Testing.Stripe;

/// <summary>
/// Whether a test that reads <see cref="StripeFixtures"/> runs. A newcomer's clone has no fixtures: skip, saying so.
/// CI must never pass by skipping them: under <c>CI=true</c> the test runs and fails on the missing folder.
/// </summary>
public static class StripeFixtureGate
{
    /// <summary>Why fixture tests are skipped when the folder is absent.</summary>
    public const string MissingMessage =
        "../shared/fixtures/stripe not found: fixture tests skipped; set " + StripeFixtures.EnvironmentVariable +
        " to a folder of Stripe event JSON files, or place shared/fixtures/stripe beside the repository.";

    /// <summary>The failure of a fixture test when the folder is absent under CI.</summary>
    public const string CiMessage =
        "../shared/fixtures/stripe not found and CI=true: fixture tests fail in CI instead of being skipped; set " +
        StripeFixtures.EnvironmentVariable + " or place shared/fixtures/stripe beside the repository.";

    /// <summary>True when the environment variable <c>CI</c> is <c>true</c> (GitHub Actions, GitLab, .ci/run).</summary>
    public static bool UnderCi { get; } = IsCi(Environment.GetEnvironmentVariable("CI"));

    /// <summary>The skip reason of the fixture tests in this process: null when they run.</summary>
    public static string? SkipReason { get; } = Decide(StripeFixtures.Found, UnderCi);

    /// <summary>
    /// The decision: null (run) when the fixtures are found, or when they are absent under CI (so the test fails);
    /// <see cref="MissingMessage"/> (skip) when they are absent elsewhere.
    /// </summary>
    public static string? Decide(string? fixturesDirectory, bool underCi) =>
        fixturesDirectory is not null || underCi ? null : MissingMessage;

    /// <summary>Reads the <c>CI</c> variable as CI services set it.</summary>
    public static bool IsCi(string? value) => string.Equals(value?.Trim(), "true", StringComparison.OrdinalIgnoreCase);
}
