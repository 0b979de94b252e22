namespace Billing.Insights.Tests;

/// <summary>Finds the shared real Stripe payloads.</summary>
public static class Fixtures
{
    /// <summary>Overrides where the fixtures are.</summary>
    public const string EnvironmentVariable = "BILLING_STRIPE_FIXTURES";

    /// <summary>The folder, or null when there is none.</summary>
    public static string? Directory { get; } = Locate();

    /// <summary>The bytes of one fixture; fails the test (with where it looked) when the folder is missing.</summary>
    public static byte[] Read(string name) =>
        File.ReadAllBytes(Path.Combine(Directory ?? throw new InvalidOperationException(
            $"Stripe fixtures not found: expected ../shared/fixtures/stripe beside the repository, or set {EnvironmentVariable}."), name));

    private static string? Locate()
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
                return System.IO.Directory.Exists(shared) ? shared : null;
            }
        }

        return null;
    }
}
