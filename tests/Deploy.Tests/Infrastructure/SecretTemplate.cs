using k8s;
using k8s.Models;

namespace Billing.Deploy.Tests.Infrastructure;

/// <summary>deploy/k8s/secrets.example.yaml: the Secrets operators create (placeholders only; never rendered).</summary>
internal static class SecretTemplate
{
    /// <summary>The template's path, relative to the repository root.</summary>
    public const string Path = "deploy/k8s/secrets.example.yaml";

    /// <summary>The Secrets of the template.</summary>
    public static IReadOnlyList<V1Secret> Secrets { get; } = Load();

    /// <summary>The keys of the Secret named <paramref name="name"/>, or null when the template has no such Secret.</summary>
    public static IReadOnlyCollection<string>? KeysOf(string name) =>
        Secrets.SingleOrDefault(s => s.Metadata.Name == name) is { } secret
            ? [.. (secret.StringData?.Keys ?? []).Concat(secret.Data?.Keys ?? [])]
            : null;

    private static List<V1Secret> Load()
    {
        var objects = KubernetesYaml.LoadAllFromString(Repository.Read(Path));
        Assert.All(objects, o => Assert.IsType<V1Secret>(o));
        return [.. objects.Cast<V1Secret>()];
    }
}

/// <summary>Where a configuration value of a container comes from.</summary>
internal sealed record ConfigurationSource(string Key, string From);

/// <summary>The configuration keys a container ends up with, whatever the way they are set.</summary>
internal static class ContainerConfiguration
{
    /// <summary>
    /// Every environment variable the container gets: <c>env</c> entries, the keys of ConfigMaps (as rendered) and
    /// Secrets (as in the template) loaded with <c>envFrom</c>, with their prefix. A reference to a ConfigMap or
    /// Secret that exists in neither place fails the calling test.
    /// </summary>
    public static IEnumerable<ConfigurationSource> Of(V1Container container, RenderedOverlay overlay)
    {
        foreach (var env in container.Env ?? [])
        {
            yield return new ConfigurationSource(env.Name, "env");
        }

        foreach (var source in container.EnvFrom ?? [])
        {
            var prefix = source.Prefix ?? "";
            if (source.ConfigMapRef is { } configMapRef)
            {
                var configMap = overlay.ConfigMap(configMapRef.Name)
                    ?? throw new Xunit.Sdk.XunitException($"{overlay}: container {container.Name} loads ConfigMap {configMapRef.Name}, which is not rendered");
                foreach (var key in (configMap.Data?.Keys ?? []).Concat(configMap.BinaryData?.Keys ?? []))
                {
                    yield return new ConfigurationSource(prefix + key, $"ConfigMap {configMapRef.Name}");
                }
            }

            if (source.SecretRef is { } secretRef)
            {
                var keys = SecretTemplate.KeysOf(secretRef.Name)
                    ?? throw new Xunit.Sdk.XunitException($"{overlay}: container {container.Name} loads Secret {secretRef.Name}, which {SecretTemplate.Path} does not describe");
                foreach (var key in keys)
                {
                    yield return new ConfigurationSource(prefix + key, $"Secret {secretRef.Name}");
                }
            }
        }
    }
}
