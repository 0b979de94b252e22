using Billing.Deploy.Tests.Infrastructure;
using k8s.Models;

namespace Billing.Deploy.Tests;

/// <summary>Every setting the manifests give the processes is one they read, from where they read it.</summary>
public sealed class ConfigurationTests
{
    [Theory]
    [MemberData(nameof(Overlays.All), MemberType = typeof(Overlays))]
    public void Every_configuration_key_the_manifests_set_is_one_the_product_reads(string overlay)
    {
        var rendered = Kubectl.Render(overlay);
        var unknown = new List<string>();
        foreach (var workload in rendered.Workloads)
        {
            var readable = ProductConfiguration.ReadBy(workload.Component);
            Assert.True(readable.Count > 0, $"{overlay}: {workload} has no known component label (silo, gateway, migrate)");
            foreach (var container in workload.Containers)
            {
                unknown.AddRange(ContainerConfiguration.Of(container, rendered)
                    .Where(source => !readable.Any(key => key.Matches(source.Key)))
                    .Select(source => $"{workload} ({workload.Component}): {source.Key} from {source.From}"));
            }
        }

        Assert.True(unknown.Count == 0,
            $"{overlay}: keys the process does not read (typo, wrong process, or add it to ProductConfiguration " +
            $"with the product change):{Environment.NewLine}{string.Join(Environment.NewLine, unknown)}");
    }

    [Theory]
    [MemberData(nameof(Overlays.All), MemberType = typeof(Overlays))]
    public void Every_referenced_config_map_secret_and_key_exists(string overlay)
    {
        var rendered = Kubectl.Render(overlay);
        foreach (var workload in rendered.Workloads)
        {
            foreach (var container in workload.Containers)
            {
                // Throws on an envFrom that names a ConfigMap not rendered or a Secret not in the template.
                Assert.NotEmpty(ContainerConfiguration.Of(container, rendered));

                foreach (var env in container.Env ?? [])
                {
                    if (env.ValueFrom?.ConfigMapKeyRef is { } configMapKey)
                    {
                        var configMap = rendered.ConfigMap(configMapKey.Name);
                        Assert.True(configMap?.Data?.ContainsKey(configMapKey.Key) == true,
                            $"{overlay}: {workload} reads {configMapKey.Name}/{configMapKey.Key}, which is not rendered");
                    }

                    if (env.ValueFrom?.SecretKeyRef is { } secretKey)
                    {
                        Assert.True(SecretTemplate.KeysOf(secretKey.Name)?.Contains(secretKey.Key) == true,
                            $"{overlay}: {workload} reads Secret {secretKey.Name}/{secretKey.Key}, which {SecretTemplate.Path} does not describe");
                    }
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Overlays.All), MemberType = typeof(Overlays))]
    public void Every_process_gets_the_connection_string_and_the_cluster_identity(string overlay)
    {
        var rendered = Kubectl.Render(overlay);
        foreach (var workload in rendered.Workloads)
        {
            var keys = ContainerConfiguration.Of(workload.Container, rendered).Select(s => s.Key).ToHashSet(StringComparer.Ordinal);
            Assert.Contains("ConnectionStrings__Billing", keys);
            if (workload.Component is "silo" or "gateway")
            {
                Assert.Contains("Orleans__ClusterId", keys);
                Assert.Contains("Orleans__ServiceId", keys);
                Assert.Contains("Logging__Format", keys);
            }
        }

        var gatewayKeys = ContainerConfiguration.Of(rendered.Workload("gateway").Container, rendered).Select(s => s.Key).ToList();
        Assert.Contains(gatewayKeys, key => key.StartsWith("Stripe__WebhookSecrets__", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_key_the_product_reads_is_documented_in_the_readme_or_the_contract()
    {
        var contract = Repository.PathOf("../shared/CONTRACT.md");
        var documentation = Repository.Read("README.md") + (File.Exists(contract) ? File.ReadAllText(contract) : "");
        var undocumented = ProductConfiguration.All
            .Where(key => key.Documented is { } name && !documentation.Contains($"`{name}", StringComparison.Ordinal))
            .Select(key => key.Documented)
            .ToList();
        Assert.True(undocumented.Count == 0,
            $"ProductConfiguration lists keys that README.md and CONTRACT.md do not: {string.Join(", ", undocumented)}");
    }

    [Fact]
    public void The_secret_template_holds_placeholders_only()
    {
        Assert.NotEmpty(SecretTemplate.Secrets);
        Assert.All(SecretTemplate.Secrets, secret =>
        {
            Assert.True(secret.Data is null or { Count: 0 }, $"{secret.Metadata.Name}: use stringData placeholders, not data");
            Assert.NotEmpty(secret.StringData);
            Assert.All(secret.StringData, pair => Assert.True(pair.Value.Contains("CHANGE_ME", StringComparison.Ordinal),
                $"{SecretTemplate.Path}: {secret.Metadata.Name}/{pair.Key} must be a CHANGE_ME placeholder"));
            Assert.True(secret.Metadata.NamespaceProperty is null, "the template is applied to the namespace of the overlay");
        });
    }

    [Theory]
    [MemberData(nameof(Overlays.All), MemberType = typeof(Overlays))]
    public void Applying_an_overlay_never_overwrites_a_secret(string overlay)
    {
        Assert.Empty(Kubectl.Render(overlay).All<V1Secret>());
    }

    [Theory]
    [MemberData(nameof(Overlays.All), MemberType = typeof(Overlays))]
    public void The_host_stops_within_the_termination_grace_period(string overlay)
    {
        foreach (var workload in Kubectl.Render(overlay).Workloads.Where(w => w.Kind == "Deployment"))
        {
            var container = workload.Container;
            var value = container.EnvValue(ProductConfiguration.ShutdownTimeoutSeconds);
            Assert.True(value is not null,
                $"{overlay}: {workload} does not set {ProductConfiguration.ShutdownTimeoutSeconds} " +
                $"(.NET's default is {ProductConfiguration.DefaultShutdownTimeoutSeconds} s, as long as Kubernetes' default grace period)");
            var shutdown = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
            var preStop = container.Lifecycle?.PreStop?.Sleep?.Seconds ?? 0;
            var grace = workload.Pod.TerminationGracePeriodSeconds ?? 30;
            Assert.True(preStop + shutdown + 5 <= grace,
                $"{overlay}: {workload}: preStop {preStop} s + shutdown {shutdown} s leaves less than 5 s of the {grace} s grace period");
        }
    }
}
