namespace Billing.Deploy.Tests.Infrastructure;

/// <summary>Files of the repository these tests check (found from the test assembly upwards).</summary>
internal static class Repository
{
    /// <summary>The directory holding Billing.sln.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>An absolute path from a path relative to the repository root.</summary>
    public static string PathOf(string relativePath) =>
        Path.GetFullPath(Path.Combine(Root, relativePath.Replace('/', Path.DirectorySeparatorChar)));

    /// <summary>The text of a file, by its path relative to the repository root.</summary>
    public static string Read(string relativePath)
    {
        var path = PathOf(relativePath);
        Assert.True(File.Exists(path), $"{relativePath} is missing");
        return File.ReadAllText(path);
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Billing.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"Billing.sln was not found in any directory above {AppContext.BaseDirectory}.");
    }
}
