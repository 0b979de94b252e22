using System.Reflection;

namespace Billing.Resilience.Tests.Infrastructure;

/// <summary>Where the built silo and gateway are: each project's own bin folder, in this test's configuration.</summary>
internal static class ProductBuild
{
    public static string RepositoryRoot { get; } = Metadata("RepositoryRoot");

    public static string Configuration { get; } = Metadata("BuildConfiguration");

    public static string SiloProject => Path.Combine(RepositoryRoot, "src", "Silo");

    public static string GatewayProject => Path.Combine(RepositoryRoot, "src", "Gateway");

    public static string SiloDll => Output(SiloProject, "Billing.Silo.dll");

    public static string GatewayDll => Output(GatewayProject, "Billing.Gateway.dll");

    private static string Output(string project, string dll)
    {
        var path = Path.Combine(project, "bin", Configuration, "net10.0", dll);
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException(
                $"{path} is missing: build it first (dotnet build {Path.GetRelativePath(RepositoryRoot, project)} -c {Configuration}); " +
                "building this test project builds it too.", path);
    }

    private static string Metadata(string key) =>
        typeof(ProductBuild).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
}
