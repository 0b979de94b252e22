using Billing.Deploy.Tests.Infrastructure;
using k8s.Models;

namespace Billing.Deploy.Tests;

/// <summary>Who may reach which port: NetworkPolicies and the Ingress.</summary>
public sealed class NetworkTests
{
    private const string InternalNamespaceLabel = "billing.example.com/internal";

    [Theory]
    [MemberData(nameof(Overlays.All), MemberType = typeof(Overlays))]
    public void Every_pod_denies_ingress_unless_a_policy_allows_it(string overlay)
    {
        var policies = Kubectl.Render(overlay).All<V1NetworkPolicy>();
        Assert.Contains(policies, p =>
            p.Spec.PodSelector.MatchLabels is null or { Count: 0 } &&
            p.Spec.PodSelector.MatchExpressions is null or { Count: 0 } &&
            p.Spec.PolicyTypes.Contains("Ingress") &&
            p.Spec.Ingress is null or { Count: 0 });
    }

    [Theory]
    [MemberData(nameof(Overlays.All), MemberType = typeof(Overlays))]
    public void The_grpc_port_is_reachable_only_from_namespaces_labelled_internal(string overlay)
    {
        var rendered = Kubectl.Render(overlay);
        var gateway = rendered.Workload("gateway");
        var port = gateway.Container.KestrelEndpoints()["Grpc"].Port!.Value;
        var peers = rendered.AllowedPeers(gateway, port);
        Assert.NotNull(peers);
        Assert.NotEmpty(peers);
        Assert.All(peers, peer =>
        {
            Assert.Null(peer.IpBlock);
            Assert.True(peer.NamespaceSelector?.MatchLabels?.TryGetValue(InternalNamespaceLabel, out var value) == true && value == "true",
                $"{overlay}: gRPC port {port} is open to a peer outside namespaces labelled {InternalNamespaceLabel}=true");
        });
    }

    [Theory]
    [MemberData(nameof(Overlays.All), MemberType = typeof(Overlays))]
    public void The_webhook_port_is_reachable_only_from_the_ingress_controller_namespace(string overlay)
    {
        var rendered = Kubectl.Render(overlay);
        var gateway = rendered.Workload("gateway");
        var port = gateway.Container.KestrelEndpoints()["Webhooks"].Port!.Value;
        var peers = rendered.AllowedPeers(gateway, port);
        Assert.NotNull(peers);
        Assert.NotEmpty(peers);
        Assert.All(peers, peer =>
        {
            Assert.Null(peer.IpBlock);
            Assert.True(peer.NamespaceSelector?.MatchLabels?.ContainsKey("kubernetes.io/metadata.name") == true,
                $"{overlay}: webhook port {port} is open to a peer that is not a named namespace");
        });
    }

    [Theory]
    [MemberData(nameof(Overlays.All), MemberType = typeof(Overlays))]
    public void Silo_ports_are_reachable_only_from_silos_and_the_gateway(string overlay)
    {
        var rendered = Kubectl.Render(overlay);
        var silo = rendered.Workload("silo");
        var gateway = rendered.Workload("gateway");
        foreach (var port in (int[])[11111, 30000])
        {
            var peers = rendered.AllowedPeers(silo, port);
            Assert.NotNull(peers);
            Assert.NotEmpty(peers);
            Assert.All(peers, peer =>
            {
                Assert.True(peer.IpBlock is null && peer.NamespaceSelector is null && peer.PodSelector is not null,
                    $"{overlay}: silo port {port} is open beyond the namespace's pods");
                var selected = rendered.WorkloadsSelectedBy(peer.PodSelector.MatchLabels);
                Assert.NotEmpty(selected);
                Assert.All(selected, w => Assert.True(w == silo || w == gateway,
                    $"{overlay}: silo port {port} is open to {w}"));
            });
        }

        // Silo-to-silo traffic is for silos only.
        Assert.All(rendered.AllowedPeers(silo, 11111)!, peer =>
            Assert.Equal(new[] { silo }, rendered.WorkloadsSelectedBy(peer.PodSelector.MatchLabels)));
    }

    [Theory]
    [MemberData(nameof(Overlays.All), MemberType = typeof(Overlays))]
    public void The_ingress_routes_only_the_stripe_webhook_to_the_webhook_port(string overlay)
    {
        var rendered = Kubectl.Render(overlay);
        var gateway = rendered.Workload("gateway").Container;
        var webhookPort = gateway.KestrelEndpoints()["Webhooks"].Port;
        var ingress = Assert.Single(rendered.All<V1Ingress>());
        Assert.Null(ingress.Spec.DefaultBackend);
        var paths = ingress.Spec.Rules.SelectMany(r => r.Http?.Paths ?? []).ToList();
        Assert.NotEmpty(paths);
        Assert.All(paths, path =>
        {
            Assert.Equal("/stripe/webhook", path.Path);
            Assert.Equal("Exact", path.PathType);
            var service = rendered.All<V1Service>().SingleOrDefault(s => s.Metadata.Name == path.Backend.Service?.Name);
            Assert.True(service is not null, $"{overlay}: the Ingress routes to Service {path.Backend.Service?.Name}, which is not rendered");
            var servicePort = service.Spec.Ports.Single(p =>
                p.Name == path.Backend.Service!.Port.Name || p.Port == path.Backend.Service.Port.Number);
            Assert.Equal(webhookPort, gateway.FindPort(servicePort.TargetPort)?.ContainerPort);
        });
    }
}
