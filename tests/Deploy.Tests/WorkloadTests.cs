using System.Text.RegularExpressions;
using Billing.Deploy.Tests.Infrastructure;
using k8s.Models;

namespace Billing.Deploy.Tests;

/// <summary>Deployments, Jobs, their probes and the Services in front of them.</summary>
public sealed partial class WorkloadTests
{
    [Theory]
    [MemberData(nameof(Overlays.All), MemberType = typeof(Overlays))]
    public void Every_deployment_selector_matches_its_pod_labels(string overlay)
    {
        var deployments = Kubectl.Render(overlay).All<V1Deployment>();
        Assert.NotEmpty(deployments);
        Assert.All(deployments, deployment =>
        {
            var selector = deployment.Spec.Selector;
            Assert.True(selector.MatchExpressions is null or { Count: 0 }, $"{deployment.Metadata.Name}: use matchLabels only");
            Assert.NotNull(selector.MatchLabels);
            Assert.NotEmpty(selector.MatchLabels);
            var labels = deployment.Spec.Template.Metadata.Labels;
            Assert.All(selector.MatchLabels, pair => Assert.True(
                labels.TryGetValue(pair.Key, out var value) && value == pair.Value,
                $"{overlay}: Deployment {deployment.Metadata.Name} selects {pair.Key}={pair.Value}, its pods do not carry it"));
        });
    }

    [Theory]
    [MemberData(nameof(Overlays.All), MemberType = typeof(Overlays))]
    public void Silos_gateway_and_migration_each_run_as_one_workload(string overlay)
    {
        var rendered = Kubectl.Render(overlay);
        Assert.Equal("Deployment", rendered.Workload("silo").Kind);
        Assert.Equal("Deployment", rendered.Workload("gateway").Kind);
        Assert.Equal("Job", rendered.Workload("migrate").Kind);
    }

    [Fact]
    public void The_product_serves_the_health_paths_the_probes_use_and_liveness_touches_nothing()
    {
        var paths = ProductHealthPaths();
        Assert.Contains("/healthz", paths);
        Assert.Contains("/readyz", paths);

        // /healthz runs no health check (Predicate = _ => false): no database, no grain, no silo.
        var source = Repository.Read("src/ServiceDefaults/Extensions.cs");
        Assert.Matches(LivenessMapping(), source);
        Assert.Contains("MapHealthEndpoints()", Repository.Read("src/Silo/Program.cs"), StringComparison.Ordinal);
        Assert.Contains("MapHealthEndpoints()", Repository.Read("src/Gateway/GatewayApp.cs"), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Overlays.All), MemberType = typeof(Overlays))]
    public void Every_probe_asks_a_health_path_on_a_port_kestrel_serves_over_http1(string overlay)
    {
        var paths = ProductHealthPaths();
        var rendered = Kubectl.Render(overlay);
        foreach (var workload in rendered.Workloads.Where(w => w.Kind == "Deployment"))
        {
            var container = workload.Container;
            Assert.True(container.LivenessProbe is not null, $"{workload}: no liveness probe");
            Assert.True(container.ReadinessProbe is not null, $"{workload}: no readiness probe");
            foreach (var (kind, probe) in container.Probes())
            {
                var where = $"{overlay}: {workload} {kind} probe";
                Assert.True(probe.HttpGet is not null, $"{where}: expected an HTTP GET probe");
                Assert.True(paths.Contains(probe.HttpGet.Path), $"{where}: the product serves no {probe.HttpGet.Path}");

                var port = container.FindPort(probe.HttpGet.Port);
                Assert.True(port is not null, $"{where}: port {probe.HttpGet.Port?.Value} is not a container port");
                var endpoint = container.KestrelEndpointOn(port.ContainerPort);
                Assert.True(endpoint is not null, $"{where}: no Kestrel__Endpoints__*__Url binds port {port.ContainerPort}");
                Assert.True(endpoint.BindsAllInterfaces, $"{where}: {endpoint.Url} is not reachable from the kubelet");
                // Kubelet probes speak HTTP/1.1: an Http2-only (cleartext gRPC) endpoint cannot answer them.
                Assert.NotEqual("Http2", endpoint.Protocols);
            }

            // Liveness and startup must not depend on the database or the cluster: a slow PostgreSQL would
            // otherwise restart every pod at once.
            Assert.Equal("/healthz", container.LivenessProbe.HttpGet.Path);
            Assert.Equal("/readyz", container.ReadinessProbe.HttpGet.Path);
            if (container.StartupProbe is { } startup)
            {
                Assert.Equal("/healthz", startup.HttpGet.Path);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Overlays.All), MemberType = typeof(Overlays))]
    public void Every_container_port_is_one_the_process_listens_on(string overlay)
    {
        foreach (var workload in Kubectl.Render(overlay).Workloads)
        {
            foreach (var container in workload.Containers)
            {
                var listening = container.ListeningPorts();
                Assert.All(container.Ports ?? [], port => Assert.True(listening.Contains(port.ContainerPort),
                    $"{overlay}: {workload} declares port {port.ContainerPort} ({port.Name}), which its configuration does not bind"));
            }
        }
    }

    [Theory]
    [MemberData(nameof(Overlays.All), MemberType = typeof(Overlays))]
    public void Silos_advertise_their_pod_ip_and_listen_on_their_declared_ports(string overlay)
    {
        var silo = Kubectl.Render(overlay).Workload("silo").Container;
        var advertised = Assert.Single(silo.Env, e => e.Name == "Orleans__AdvertisedIP");
        Assert.Equal("status.podIP", advertised.ValueFrom?.FieldRef?.FieldPath);
        Assert.Equal("11111", silo.EnvValue("Orleans__SiloPort"));
        Assert.Equal("30000", silo.EnvValue("Orleans__GatewayPort"));
        Assert.Contains(silo.Ports, p => p.ContainerPort == 11111);
        Assert.Contains(silo.Ports, p => p.ContainerPort == 30000);
    }

    [Theory]
    [MemberData(nameof(Overlays.All), MemberType = typeof(Overlays))]
    public void The_gateway_serves_webhooks_over_http1_and_grpc_on_an_http2_only_endpoint(string overlay)
    {
        var gateway = Kubectl.Render(overlay).Workload("gateway").Container;
        var endpoints = gateway.KestrelEndpoints();
        Assert.True(endpoints.TryGetValue("Webhooks", out var webhooks), "Kestrel__Endpoints__Webhooks__Url is not set");
        Assert.True(endpoints.TryGetValue("Grpc", out var grpc), "Kestrel__Endpoints__Grpc__Url is not set");
        Assert.True(webhooks.BindsAllInterfaces && grpc.BindsAllInterfaces, "the gateway's endpoints must bind every interface");
        Assert.NotEqual(webhooks.Port, grpc.Port);
        // Cleartext HTTP/2 needs an Http2-only endpoint: with Http1AndHttp2 Kestrel serves HTTP/1.1 and gRPC fails.
        Assert.Equal("Http2", grpc.Protocols);
        Assert.NotEqual("Http2", webhooks.Protocols);
    }

    [Theory]
    [MemberData(nameof(Overlays.All), MemberType = typeof(Overlays))]
    public void Every_service_selects_pods_and_targets_their_container_ports(string overlay)
    {
        var rendered = Kubectl.Render(overlay);
        var services = rendered.All<V1Service>();
        Assert.NotEmpty(services);
        Assert.All(services, service =>
        {
            var selected = rendered.WorkloadsSelectedBy(service.Spec.Selector);
            Assert.True(selected.Count > 0, $"{overlay}: Service {service.Metadata.Name} selects no pods");
            Assert.All(service.Spec.Ports, port => Assert.All(selected, workload => Assert.True(
                workload.Pod.Containers.Any(c => c.FindPort(port.TargetPort ?? (IntOrString)port.Port) is not null),
                $"{overlay}: Service {service.Metadata.Name} port {port.Name} targets {port.TargetPort?.Value}, not a container port of {workload}")));
        });
    }

    [Theory]
    [MemberData(nameof(Overlays.All), MemberType = typeof(Overlays))]
    public void The_grpc_service_speaks_h2c_to_the_grpc_endpoint(string overlay)
    {
        var rendered = Kubectl.Render(overlay);
        var gateway = rendered.Workload("gateway").Container;
        var grpcPort = gateway.KestrelEndpoints()["Grpc"].Port;
        var grpcServices = rendered.All<V1Service>()
            .Where(s => s.Spec.Ports.Any(p => gateway.FindPort(p.TargetPort)?.ContainerPort == grpcPort))
            .ToList();
        Assert.NotEmpty(grpcServices);
        Assert.All(grpcServices, service => Assert.All(
            service.Spec.Ports.Where(p => gateway.FindPort(p.TargetPort)?.ContainerPort == grpcPort),
            port => Assert.Equal("kubernetes.io/h2c", port.AppProtocol)));
    }

    [Theory]
    [MemberData(nameof(Overlays.All), MemberType = typeof(Overlays))]
    public void The_migrate_job_runs_the_silo_image_with_the_migrate_command(string overlay)
    {
        var rendered = Kubectl.Render(overlay);
        var migrate = rendered.Workload("migrate");
        var silo = rendered.Workload("silo").Container;
        var container = migrate.Container;
        Assert.Equal(silo.Image, container.Image);
        Assert.Null(container.Command);
        Assert.Equal(["migrate"], container.Args);
        Assert.Equal("Never", migrate.Pod.RestartPolicy);
        Assert.Contains(container.EnvFrom ?? [], source => source.SecretRef?.Name == "billing-database");

        var job = Assert.Single(rendered.All<V1Job>());
        Assert.True(job.Spec.BackoffLimit is > 0, "the migration should be retried (e.g. while PostgreSQL starts)");
        Assert.True(job.Spec.ActiveDeadlineSeconds is > 0, "a migration that hangs should fail the Job");
    }

    private static HashSet<string> ProductHealthPaths() =>
        [.. HealthMapping().Matches(Repository.Read("src/ServiceDefaults/Extensions.cs")).Select(m => m.Groups["path"].Value)];

    [GeneratedRegex("""MapHealthChecks\("(?<path>/[^"]*)"[,)]""")]
    private static partial Regex HealthMapping();

    [GeneratedRegex("""MapHealthChecks\("/healthz",[^;]*Predicate\s*=\s*_\s*=>\s*false""")]
    private static partial Regex LivenessMapping();
}
