namespace Billing.Testing.Stripe;

/// <summary>The real Stripe event payloads shared by every developer and CI (<c>../shared/fixtures/stripe</c>).</summary>
public static class StripeFixtures
{
    /// <summary>Overrides where the fixtures are.</summary>
    public const string EnvironmentVariable = "BILLING_STRIPE_FIXTURES";

    /// <summary>The fixtures folder: the environment variable, or <c>shared/fixtures/stripe</c> beside the repository.</summary>
    public static string Directory { get; } = Locate();

    /// <summary>Every fixture file, by file name.</summary>
    public static IEnumerable<string> Files =>
        System.IO.Directory.EnumerateFiles(Directory, "*.json").Order(StringComparer.Ordinal);

    private static string Locate()
    {
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } configured)
        {
            return configured;
        }

        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Billing.sln")))
            {
                var shared = Path.GetFullPath(Path.Combine(directory.FullName, "..", "shared", "fixtures", "stripe"));
                if (System.IO.Directory.Exists(shared))
                {
                    return shared;
                }
            }
        }

        throw new InvalidOperationException(
            $"Stripe fixtures not found: expected ../shared/fixtures/stripe beside the repository, or set {EnvironmentVariable}.");
    }
}
