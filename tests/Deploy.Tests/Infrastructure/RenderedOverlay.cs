using k8s;
using k8s.Models;

namespace Billing.Deploy.Tests.Infrastructure;

/// <summary>The objects one overlay renders to, typed by KubernetesClient's YAML loader.</summary>
internal sealed class RenderedOverlay
{
    public RenderedOverlay(string name, string yaml)
    {
        Name = name;
        Yaml = yaml;
        Objects = KubernetesYaml.LoadAllFromString(yaml);
        Workloads =
        [
            .. Objects.OfType<V1Deployment>().Select(d => new Workload("Deployment", d.Metadata.Name, d.Spec.Template)),
            .. Objects.OfType<V1Job>().Select(j => new Workload("Job", j.Metadata.Name, j.Spec.Template)),
        ];
    }

    /// <summary>The overlay's directory name (<c>dev</c>, <c>prod</c>).</summary>
    public string Name { get; }

    /// <summary>What <c>kubectl kustomize</c> printed.</summary>
    public string Yaml { get; }

    /// <summary>Every object, in the rendered order.</summary>
    public IReadOnlyList<object> Objects { get; }

    /// <summary>Everything that runs pods: Deployments and Jobs.</summary>
    public IReadOnlyList<Workload> Workloads { get; }

    /// <summary>The objects of one type.</summary>
    public IReadOnlyList<T> All<T>() => [.. Objects.OfType<T>()];

    /// <summary>The one workload whose pods carry <c>app.kubernetes.io/component: {component}</c>.</summary>
    public Workload Workload(string component)
    {
        var matches = Workloads.Where(w => w.Component == component).ToList();
        Assert.True(matches.Count == 1, $"{Name}: expected one workload of component '{component}', found {matches.Count}");
        return matches[0];
    }

    /// <summary>The Deployment named <paramref name="name"/>.</summary>
    public V1Deployment Deployment(string name) =>
        All<V1Deployment>().SingleOrDefault(d => d.Metadata.Name == name)
        ?? throw new Xunit.Sdk.XunitException($"{Name}: no Deployment named {name}");

    /// <summary>The ConfigMap named <paramref name="name"/> (generated names included), or null.</summary>
    public V1ConfigMap? ConfigMap(string name) => All<V1ConfigMap>().SingleOrDefault(c => c.Metadata.Name == name);

    /// <summary>The workloads whose pod labels include every pair of <paramref name="selector"/>.</summary>
    public IReadOnlyList<Workload> WorkloadsSelectedBy(IDictionary<string, string>? selector) =>
        selector is null || selector.Count == 0
            ? []
            : [.. Workloads.Where(w => selector.All(pair => w.Labels.TryGetValue(pair.Key, out var value) && value == pair.Value))];

    /// <inheritdoc/>
    public override string ToString() => Name;
}

/// <summary>A Deployment or Job, seen through its pod template.</summary>
internal sealed record Workload(string Kind, string Name, V1PodTemplateSpec Template)
{
    /// <summary>The pod spec.</summary>
    public V1PodSpec Pod => Template.Spec;

    /// <summary>The pod template's labels.</summary>
    public IDictionary<string, string> Labels => Template.Metadata?.Labels ?? new Dictionary<string, string>();

    /// <summary>The <c>app.kubernetes.io/component</c> label: <c>silo</c>, <c>gateway</c> or <c>migrate</c>.</summary>
    public string Component => Labels.TryGetValue("app.kubernetes.io/component", out var component) ? component : "";

    /// <summary>Containers and init containers.</summary>
    public IReadOnlyList<V1Container> Containers => [.. Pod.Containers, .. Pod.InitContainers ?? []];

    /// <summary>The one (main) container.</summary>
    public V1Container Container => Assert.Single(Pod.Containers);

    /// <inheritdoc/>
    public override string ToString() => $"{Kind}/{Name}";
}
