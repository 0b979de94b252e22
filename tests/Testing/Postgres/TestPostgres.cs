namespace Billing.Testing.Postgres;

/// <summary>The PostgreSQL server the tests run against.</summary>
public static class TestPostgres
{
    /// <summary>
    /// Holds an admin connection string (allowed to create and drop databases) of a running PostgreSQL,
    /// e.g. <c>Host=127.0.0.1;Port=54330;Username=postgres</c>. <c>./test.sh</c> starts a server and sets it.
    /// </summary>
    public const string EnvironmentVariable = "BILLING_TEST_POSTGRES";

    /// <summary>The admin connection string from <see cref="EnvironmentVariable"/>.</summary>
    /// <exception cref="InvalidOperationException">The variable is not set.</exception>
    public static string AdminConnectionString =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } connectionString
            ? connectionString
            : throw new InvalidOperationException(
                $"{EnvironmentVariable} is not set, and this test needs a running PostgreSQL. Run the tests through " +
                $"./test.sh, which starts one and sets it; or start PostgreSQL yourself and set {EnvironmentVariable} " +
                "to an admin connection string, e.g. \"Host=127.0.0.1;Port=54330;Username=postgres\".");
}
