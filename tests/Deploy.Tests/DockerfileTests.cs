using System.Xml.Linq;
using Billing.Deploy.Tests.Infrastructure;

namespace Billing.Deploy.Tests;

/// <summary>The images the manifests run (they cannot be built here: no Docker engine, so they are read).</summary>
public sealed class DockerfileTests
{
    public static TheoryData<string> Dockerfiles => new() { "src/Silo/Dockerfile", "src/Gateway/Dockerfile" };

    // Dockerfile → the project it publishes and the component whose pods run the image.
    private static readonly Dictionary<string, (string Project, string Component)> Builds = new(StringComparer.Ordinal)
    {
        ["src/Silo/Dockerfile"] = ("src/Silo/Silo.csproj", "silo"),
        ["src/Gateway/Dockerfile"] = ("src/Gateway/Gateway.csproj", "gateway"),
    };

    [Theory]
    [MemberData(nameof(Dockerfiles))]
    public void Each_image_runs_on_the_aspnet_runtime_as_a_non_root_user(string dockerfile)
    {
        var project = Builds[dockerfile].Project;
        var file = Dockerfile.Load(dockerfile);
        Assert.True(file.Stages.Count >= 2, $"{dockerfile}: expected a multi-stage build");
        Assert.StartsWith("mcr.microsoft.com/dotnet/aspnet:10.0", file.Final.BaseImage, StringComparison.Ordinal);

        var user = Assert.Single(file.Final.ArgumentsOf("USER"));
        Assert.True(user is "$APP_UID" or "${APP_UID}" || (int.TryParse(user, out var uid) && uid > 0),
            $"{dockerfile}: the final stage runs as USER {user}; use $APP_UID (the image's non-root 'app', 1654)");
        // USER must come after everything that needs root in the final stage.
        Assert.Equal("USER", file.Final.Instructions.Last(i => i.Keyword is "USER" or "RUN" or "COPY").Keyword);

        var assembly = XDocument.Load(Repository.PathOf(project)).Descendants("AssemblyName").Single().Value;
        Assert.Equal($"[\"dotnet\", \"{assembly}.dll\"]", Assert.Single(file.Final.ArgumentsOf("ENTRYPOINT")));
    }

    [Theory]
    [MemberData(nameof(Dockerfiles))]
    public void Each_image_is_built_by_the_sdk_with_the_repository_props(string dockerfile)
    {
        var project = Builds[dockerfile].Project;
        var file = Dockerfile.Load(dockerfile);
        var build = file.Stages[0];
        Assert.StartsWith("mcr.microsoft.com/dotnet/sdk:10.0", build.BaseImage, StringComparison.Ordinal);
        var copies = string.Join('\n', build.ArgumentsOf("COPY"));
        Assert.Contains("Directory.Build.props", copies, StringComparison.Ordinal);
        Assert.Contains("Directory.Packages.props", copies, StringComparison.Ordinal);
        var runs = string.Join('\n', build.ArgumentsOf("RUN"));
        Assert.Contains($"dotnet restore {project}", runs, StringComparison.Ordinal);
        Assert.Contains($"dotnet publish {project} -c Release", runs, StringComparison.Ordinal);
        Assert.Contains("COPY --from=", string.Join('\n', file.Final.Instructions.Select(i => $"{i.Keyword} {i.Arguments}")), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Dockerfiles))]
    public void Each_image_copies_every_project_its_host_references(string dockerfile)
    {
        var project = Builds[dockerfile].Project;
        var copied = Dockerfile.Load(dockerfile).Stages[0].ArgumentsOf("COPY")
            .SelectMany(arguments => arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries)[..^1])
            .Select(source => source.TrimEnd('/'))
            .ToList();
        bool IsCopied(string path) => copied.Any(source => path == source || path.StartsWith(source + "/", StringComparison.Ordinal));

        var closure = ProjectClosure(project);
        Assert.All(closure, reference => Assert.True(IsCopied(Path.GetDirectoryName(reference)!.Replace('\\', '/')),
            $"{dockerfile}: {reference} is part of the build but its directory is not copied"));

        // Protos compiles proto/billing/v1/*.proto, outside its own directory.
        if (closure.Contains("src/Protos/Protos.csproj"))
        {
            Assert.True(IsCopied("proto/billing/v1"), $"{dockerfile}: proto/ is not copied");
        }
    }

    [Theory]
    [MemberData(nameof(Dockerfiles))]
    public void Each_image_exposes_the_ports_its_pods_declare(string dockerfile)
    {
        var component = Builds[dockerfile].Component;
        var exposed = Dockerfile.Load(dockerfile).Final.ArgumentsOf("EXPOSE")
            .SelectMany(a => a.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(p => int.Parse(p.Split('/')[0], System.Globalization.CultureInfo.InvariantCulture))
            .ToHashSet();
        var declared = Kubectl.Render("prod").Workload(component).Container.Ports.Select(p => p.ContainerPort).ToHashSet();
        Assert.Equal(declared.Order(), exposed.Order());
    }

    [Fact]
    public void The_docker_build_context_leaves_out_build_outputs_and_local_state()
    {
        var ignored = Repository.Read(".dockerignore").Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("**/bin", ignored);
        Assert.Contains("**/obj", ignored);
        Assert.Contains(".local", ignored);
        Assert.Contains(".git", ignored);
    }

    /// <summary>The project and every project it references, transitively, relative to the repository root.</summary>
    private static HashSet<string> ProjectClosure(string project)
    {
        var closure = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([project]);
        while (pending.TryPop(out var current))
        {
            // A referenced project that does not exist (yet) fails the build itself; here it only has no references.
            if (!closure.Add(current) || !File.Exists(Repository.PathOf(current)))
            {
                continue;
            }

            var directory = Path.GetDirectoryName(Repository.PathOf(current))!;
            foreach (var reference in XDocument.Load(Repository.PathOf(current)).Descendants("ProjectReference"))
            {
                var path = Path.GetFullPath(Path.Combine(directory, reference.Attribute("Include")!.Value.Replace('\\', '/')));
                pending.Push(Path.GetRelativePath(Repository.Root, path).Replace('\\', '/'));
            }
        }

        return closure;
    }
}
