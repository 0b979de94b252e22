namespace Billing.Testing.Stripe;

/// <summary>
/// The real Stripe event payloads shared by this team's developers and CI (<c>../shared/fixtures/stripe</c>). A clone
/// of the public repository has no such folder: tests that read it use <see cref="StripeFixtureFactAttribute"/> or
/// <see cref="StripeFixtureTheoryAttribute"/>, which skip them there and fail them under CI.
/// </summary>
public static class StripeFixtures
{
    /// <summary>Overrides where the fixtures are.</summary>
    public const string EnvironmentVariable = "BILLING_STRIPE_FIXTURES";

    /// <summary>The fixtures folder, or null when it does not exist.</summary>
    public static string? Found { get; } = Locate();

    /// <summary>The fixtures folder; throws, saying where it was looked for, when it does not exist.</summary>
    public static string Directory => Found ?? throw new InvalidOperationException(
        StripeFixtureGate.UnderCi ? StripeFixtureGate.CiMessage : StripeFixtureGate.MissingMessage);

    /// <summary>Every fixture file, by file name.</summary>
    public static IEnumerable<string> Files =>
        System.IO.Directory.EnumerateFiles(Directory, "*.json").Order(StringComparer.Ordinal);

    // The environment variable when set (even to a folder that is missing: a typo should not silently fall back),
    // else shared/fixtures/stripe beside the repository.
    private static string? Locate()
    {
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } configured)
        {
            return System.IO.Directory.Exists(configured) ? Path.GetFullPath(configured) : null;
        }

        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Billing.sln")))
            {
                var shared = Path.GetFullPath(Path.Combine(directory.FullName, "..", "shared", "fixtures", "stripe"));
                return System.IO.Directory.Exists(shared) ? shared : null;
            }
        }

        return null;
    }
}
