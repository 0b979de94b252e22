using Billing.Deploy.Tests.Infrastructure;
using k8s.Models;

namespace Billing.Deploy.Tests;

/// <summary>
/// The gateway's admin endpoint (admin routes, the console, the Orleans dashboard): its own HTTP/1.1 port, a Service
/// operators port-forward to, and nothing that exposes it: no Ingress route, no NetworkPolicy, keys from the Secret.
/// </summary>
public sealed class AdminEndpointTests
{
    private const string AdminKeyPrefix = "Gateway__AdminApiKeys__";

    [Theory]
    [MemberData(nameof(Overlays.All), MemberType = typeof(Overlays))]
    public void The_gateway_serves_admin_on_its_own_http1_port_declared_in_the_deployment_and_a_service(string overlay)
    {
        var rendered = Kubectl.Render(overlay);
        var gateway = rendered.Workload("gateway").Container;
        var endpoints = gateway.KestrelEndpoints();
        Assert.True(endpoints.TryGetValue("Admin", out var admin), $"{overlay}: Kestrel__Endpoints__Admin__Url is not set");
        Assert.True(admin.BindsAllInterfaces, $"{overlay}: {admin.Url} cannot be reached through a Service or port-forward");
        Assert.Equal(5082, admin.Port);
        // The console and the dashboard are browser pages: HTTP/1.1, like the webhook endpoint.
        Assert.Equal("Http1", admin.Protocols);
        Assert.NotEqual(endpoints["Webhooks"].Port, admin.Port);
        Assert.NotEqual(endpoints["Grpc"].Port, admin.Port);

        var containerPort = Assert.Single(gateway.Ports, p => p.ContainerPort == admin.Port);
        Assert.Equal("admin", containerPort.Name);

        var servicePorts = rendered.All<V1Service>()
            .SelectMany(s => s.Spec.Ports.Select(p => (Service: s, Port: p)))
            .Where(x => gateway.FindPort(x.Port.TargetPort)?.ContainerPort == admin.Port)
            .ToList();
        var (service, port) = Assert.Single(servicePorts);
        Assert.Equal(("admin", 5082), (port.Name, port.Port));
        // A Service of its own: the webhook Service (the one the Ingress uses) must not carry the admin port.
        Assert.All(service.Spec.Ports, p => Assert.Equal(admin.Port, gateway.FindPort(p.TargetPort)?.ContainerPort));

        // Probes stay on the webhook endpoint, which serves /healthz and /readyz.
        Assert.All(gateway.Probes(), probe => Assert.NotEqual(admin.Port, gateway.FindPort(probe.Probe.HttpGet?.Port)?.ContainerPort));
    }

    [Theory]
    [MemberData(nameof(Overlays.All), MemberType = typeof(Overlays))]
    public void No_ingress_path_or_backend_reaches_the_admin_port(string overlay)
    {
        var rendered = Kubectl.Render(overlay);
        var gateway = rendered.Workload("gateway").Container;
        var adminPort = gateway.KestrelEndpoints()["Admin"].Port;
        var ingresses = rendered.All<V1Ingress>();
        Assert.NotEmpty(ingresses);

        var backends = ingresses.SelectMany(i => (i.Spec.Rules ?? []).SelectMany(r => r.Http?.Paths ?? []).Select(p => p.Backend)
            .Append(i.Spec.DefaultBackend)).OfType<V1IngressBackend>().ToList();
        Assert.NotEmpty(backends);
        Assert.All(backends, backend =>
        {
            var reference = backend.Service;
            Assert.True(reference is not null, $"{overlay}: an Ingress backend is not a Service (resource backends are not checked)");
            var service = rendered.All<V1Service>().Single(s => s.Metadata.Name == reference.Name);
            Assert.All(service.Spec.Ports.Where(p => p.Name == reference.Port?.Name || p.Port == reference.Port?.Number), port =>
                Assert.True(gateway.FindPort(port.TargetPort)?.ContainerPort != adminPort,
                    $"{overlay}: the Ingress reaches the admin port through Service {service.Metadata.Name} port {port.Name}"));
        });
    }

    [Theory]
    [MemberData(nameof(Overlays.All), MemberType = typeof(Overlays))]
    public void No_network_policy_opens_the_admin_port_to_other_pods(string overlay)
    {
        var rendered = Kubectl.Render(overlay);
        var gateway = rendered.Workload("gateway");
        var adminPort = gateway.Container.KestrelEndpoints()["Admin"].Port!.Value;

        var peers = rendered.AllowedPeers(gateway, adminPort);

        // null would mean anything may connect; an empty list, that only port-forward (inside the pod) reaches it.
        Assert.NotNull(peers);
        Assert.Empty(peers);
    }

    [Theory]
    [MemberData(nameof(Overlays.All), MemberType = typeof(Overlays))]
    public void The_admin_keys_come_from_the_gateway_secret_never_from_a_literal(string overlay)
    {
        var rendered = Kubectl.Render(overlay);
        var gateway = rendered.Workload("gateway").Container;

        var adminKeys = ContainerConfiguration.Of(gateway, rendered)
            .Where(s => s.Key.StartsWith(AdminKeyPrefix, StringComparison.Ordinal))
            .ToList();

        Assert.Contains(adminKeys, s => s.Key == AdminKeyPrefix + "0");
        // "env" would be a value in the manifests (or a second source overriding the Secret's).
        Assert.All(adminKeys, s => Assert.Equal("Secret billing-gateway", s.From));
        var template = SecretTemplate.Secrets.Single(s => s.Metadata.Name == "billing-gateway");
        Assert.Equal("CHANGE_ME", template.StringData[AdminKeyPrefix + "0"]);
    }
}
