using Billing.Deploy.Tests.Infrastructure;
using k8s;
using k8s.Models;

namespace Billing.Deploy.Tests;

/// <summary>Pods run as the restricted Pod Security Standard asks, with bounded resources and no API access.</summary>
public sealed class SecurityTests
{
    [Theory]
    [MemberData(nameof(Overlays.All), MemberType = typeof(Overlays))]
    public void No_container_runs_as_root(string overlay)
    {
        foreach (var (workload, container) in Containers(overlay))
        {
            var pod = workload.Pod.SecurityContext;
            var own = container.SecurityContext;
            var where = $"{overlay}: {workload} container {container.Name}";
            Assert.True((own?.RunAsNonRoot ?? pod?.RunAsNonRoot) == true, $"{where}: runAsNonRoot is not true");
            var user = own?.RunAsUser ?? pod?.RunAsUser;
            Assert.True(user is null or > 0, $"{where}: runAsUser is {user}");
            Assert.True(own?.AllowPrivilegeEscalation == false, $"{where}: allowPrivilegeEscalation is not false");
            Assert.True(own?.Privileged is null or false, $"{where}: privileged");
        }
    }

    [Theory]
    [MemberData(nameof(Overlays.All), MemberType = typeof(Overlays))]
    public void Every_container_has_a_read_only_root_filesystem_and_a_writable_tmp(string overlay)
    {
        foreach (var (workload, container) in Containers(overlay))
        {
            var where = $"{overlay}: {workload} container {container.Name}";
            Assert.True(container.SecurityContext?.ReadOnlyRootFilesystem == true, $"{where}: readOnlyRootFilesystem is not true");
            var tmp = container.VolumeMounts?.SingleOrDefault(m => m.MountPath == "/tmp");
            Assert.True(tmp is not null, $"{where}: nothing is mounted at /tmp (.NET writes its diagnostics sockets there)");
            var volume = workload.Pod.Volumes?.SingleOrDefault(v => v.Name == tmp.Name);
            Assert.True(volume?.EmptyDir is not null, $"{where}: /tmp is not an emptyDir");
            Assert.True(tmp.ReadOnlyProperty is null or false, $"{where}: /tmp is read-only");
        }
    }

    [Theory]
    [MemberData(nameof(Overlays.All), MemberType = typeof(Overlays))]
    public void Every_container_drops_all_capabilities_and_uses_the_runtime_seccomp_profile(string overlay)
    {
        foreach (var (workload, container) in Containers(overlay))
        {
            var where = $"{overlay}: {workload} container {container.Name}";
            Assert.True(container.SecurityContext?.Capabilities?.Drop?.Contains("ALL") == true, $"{where}: capabilities ALL are not dropped");
            Assert.True(container.SecurityContext?.Capabilities?.Add is null or { Count: 0 }, $"{where}: adds capabilities");
            var seccomp = container.SecurityContext?.SeccompProfile?.Type ?? workload.Pod.SecurityContext?.SeccompProfile?.Type;
            Assert.True(seccomp == "RuntimeDefault", $"{where}: seccomp profile is {seccomp ?? "unset"}");
        }
    }

    [Theory]
    [MemberData(nameof(Overlays.All), MemberType = typeof(Overlays))]
    public void Every_container_sets_cpu_and_memory_requests_and_limits(string overlay)
    {
        foreach (var (workload, container) in Containers(overlay))
        {
            var where = $"{overlay}: {workload} container {container.Name}";
            var resources = container.Resources;
            foreach (var name in (string[])["cpu", "memory"])
            {
                Assert.True(resources?.Requests?.ContainsKey(name) == true, $"{where}: no {name} request");
                Assert.True(resources?.Limits?.ContainsKey(name) == true, $"{where}: no {name} limit");
                var request = resources!.Requests![name].ToDecimal();
                var limit = resources.Limits![name].ToDecimal();
                Assert.True(request > 0 && request <= limit, $"{where}: {name} request {request} is not within its limit {limit}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Overlays.All), MemberType = typeof(Overlays))]
    public void No_pod_gets_a_service_account_token_or_any_rbac(string overlay)
    {
        var rendered = Kubectl.Render(overlay);
        var accounts = rendered.All<V1ServiceAccount>().ToDictionary(a => a.Metadata.Name, StringComparer.Ordinal);
        Assert.All(accounts.Values, account => Assert.False(account.AutomountServiceAccountToken ?? true,
            $"{overlay}: ServiceAccount {account.Metadata.Name} mounts a token"));
        Assert.All(rendered.Workloads, workload =>
        {
            Assert.False(workload.Pod.AutomountServiceAccountToken ?? true, $"{overlay}: {workload} mounts a service account token");
            Assert.True(workload.Pod.ServiceAccountName is { } name && accounts.ContainsKey(name),
                $"{overlay}: {workload} runs as ServiceAccount {workload.Pod.ServiceAccountName ?? "default"}, not one of its own");
        });

        // The product never calls the Kubernetes API (clustering is on PostgreSQL): no Role, no binding.
        Assert.Empty(rendered.All<V1Role>());
        Assert.Empty(rendered.All<V1RoleBinding>());
        Assert.Empty(rendered.All<V1ClusterRole>());
        Assert.Empty(rendered.All<V1ClusterRoleBinding>());
    }

    [Theory]
    [MemberData(nameof(Overlays.All), MemberType = typeof(Overlays))]
    public void The_namespace_enforces_the_restricted_pod_security_standard(string overlay)
    {
        var rendered = Kubectl.Render(overlay);
        var ns = Assert.Single(rendered.All<V1Namespace>());
        Assert.Equal("restricted", ns.Metadata.Labels["pod-security.kubernetes.io/enforce"]);
        foreach (var item in rendered.Objects.OfType<IKubernetesObject<V1ObjectMeta>>().Where(o => o is not V1Namespace))
        {
            Assert.True(item.Metadata.NamespaceProperty == ns.Metadata.Name,
                $"{overlay}: {item.Kind} {item.Metadata.Name} is in namespace '{item.Metadata.NamespaceProperty}', not {ns.Metadata.Name}");
        }
    }

    private static IEnumerable<(Workload Workload, V1Container Container)> Containers(string overlay)
    {
        var workloads = Kubectl.Render(overlay).Workloads;
        Assert.NotEmpty(workloads);
        return workloads.SelectMany(w => w.Containers.Select(c => (w, c)));
    }
}
