using System.Globalization;
using System.Text.RegularExpressions;
using k8s.Models;

namespace Billing.Deploy.Tests.Infrastructure;

/// <summary>Reading what a container listens on and is configured with.</summary>
internal static class ContainerExtensions
{
    private const string KestrelPrefix = "Kestrel__Endpoints__";

    /// <summary>The literal value of an environment variable, or null when unset or not a literal.</summary>
    public static string? EnvValue(this V1Container container, string name) =>
        container.Env?.SingleOrDefault(e => e.Name == name)?.Value;

    /// <summary>The container port a probe or Service names (by number or by port name), or null.</summary>
    public static V1ContainerPort? FindPort(this V1Container container, IntOrString? port)
    {
        if (port?.Value is not { Length: > 0 } value)
        {
            return null;
        }

        return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? container.Ports?.FirstOrDefault(p => p.ContainerPort == number)
            : container.Ports?.FirstOrDefault(p => p.Name == value);
    }

    /// <summary>Kestrel endpoints configured through the environment: name → (URL, Protocols or null).</summary>
    public static IReadOnlyDictionary<string, KestrelEndpoint> KestrelEndpoints(this V1Container container)
    {
        var endpoints = new Dictionary<string, KestrelEndpoint>(StringComparer.Ordinal);
        foreach (var env in container.Env ?? [])
        {
            if (env.Name.StartsWith(KestrelPrefix, StringComparison.Ordinal) &&
                env.Name.EndsWith("__Url", StringComparison.Ordinal))
            {
                var name = env.Name[KestrelPrefix.Length..^"__Url".Length];
                endpoints[name] = KestrelEndpoint.Parse(name, env.Value, container.EnvValue($"{KestrelPrefix}{name}__Protocols"));
            }
        }

        return endpoints;
    }

    /// <summary>The Kestrel endpoint that binds <paramref name="port"/>, or null.</summary>
    public static KestrelEndpoint? KestrelEndpointOn(this V1Container container, int port) =>
        container.KestrelEndpoints().Values.FirstOrDefault(e => e.Port == port);

    /// <summary>Every port number the process listens on, by the configuration the manifests give it.</summary>
    public static IReadOnlySet<int> ListeningPorts(this V1Container container)
    {
        var ports = container.KestrelEndpoints().Values.Where(e => e.Port is not null).Select(e => e.Port!.Value).ToHashSet();
        foreach (var key in (string[])["Orleans__SiloPort", "Orleans__GatewayPort"])
        {
            if (int.TryParse(container.EnvValue(key), NumberStyles.None, CultureInfo.InvariantCulture, out var port))
            {
                ports.Add(port);
            }
        }

        return ports;
    }

    /// <summary>Every probe of the container, by kind.</summary>
    public static IEnumerable<(string Kind, V1Probe Probe)> Probes(this V1Container container)
    {
        if (container.StartupProbe is { } startup)
        {
            yield return ("startup", startup);
        }

        if (container.LivenessProbe is { } liveness)
        {
            yield return ("liveness", liveness);
        }

        if (container.ReadinessProbe is { } readiness)
        {
            yield return ("readiness", readiness);
        }
    }
}

/// <summary>A Kestrel endpoint from <c>Kestrel__Endpoints__{Name}__Url</c> (and <c>__Protocols</c>).</summary>
internal sealed partial record KestrelEndpoint(string Name, string Url, string? Host, int? Port, string? Protocols)
{
    /// <summary>True when the URL's host binds every interface (needed to be reached from outside the pod).</summary>
    public bool BindsAllInterfaces => Host is "0.0.0.0" or "[::]" or "*" or "+";

    /// <summary>Reads scheme://host:port the way Kestrel's URLs are written (host may be *, + or [::]).</summary>
    public static KestrelEndpoint Parse(string name, string? url, string? protocols)
    {
        var match = UrlPattern().Match(url ?? "");
        return match.Success
            ? new KestrelEndpoint(name, url!, match.Groups["host"].Value,
                int.Parse(match.Groups["port"].Value, CultureInfo.InvariantCulture), protocols)
            : new KestrelEndpoint(name, url ?? "", null, null, protocols);
    }

    [GeneratedRegex(@"^https?://(?<host>\[[^\]]*\]|[^:/]+):(?<port>[0-9]{1,5})/?$")]
    private static partial Regex UrlPattern();
}
