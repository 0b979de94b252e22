using Billing.Deploy.Tests.Infrastructure;
using k8s.Models;

namespace Billing.Deploy.Tests;

/// <summary>What distinguishes the environments.</summary>
public sealed class OverlayTests
{
    [Fact]
    public void Dev_runs_one_silo_and_one_gateway_without_disruption_budgets_or_autoscaling()
    {
        var dev = Kubectl.Render("dev");
        Assert.Equal(1, dev.Deployment("billing-silo").Spec.Replicas);
        Assert.Equal(1, dev.Deployment("billing-gateway").Spec.Replicas);
        Assert.Empty(dev.All<V1PodDisruptionBudget>());
        Assert.Empty(dev.All<V2HorizontalPodAutoscaler>());
    }

    [Fact]
    public void Dev_asks_for_less_than_prod()
    {
        var dev = Kubectl.Render("dev");
        var prod = Kubectl.Render("prod");
        foreach (var component in (string[])["silo", "gateway", "migrate"])
        {
            var small = dev.Workload(component).Container.Resources;
            var large = prod.Workload(component).Container.Resources;
            Assert.True(small.Requests["memory"].ToDecimal() < large.Requests["memory"].ToDecimal(), $"{component}: dev memory request");
            Assert.True(small.Requests["cpu"].ToDecimal() < large.Requests["cpu"].ToDecimal(), $"{component}: dev cpu request");
        }
    }

    [Fact]
    public void Prod_runs_three_silos_and_at_least_two_gateways()
    {
        var prod = Kubectl.Render("prod");
        Assert.Equal(3, prod.Deployment("billing-silo").Spec.Replicas);

        // The autoscaler owns the gateway's replica count; the Deployment leaves it unset so that applying the
        // manifests again does not scale it back.
        var hpa = Assert.Single(prod.All<V2HorizontalPodAutoscaler>());
        Assert.Equal("Deployment", hpa.Spec.ScaleTargetRef.Kind);
        Assert.Equal("billing-gateway", hpa.Spec.ScaleTargetRef.Name);
        Assert.True(hpa.Spec.MinReplicas >= 2, "at least two gateways");
        Assert.True(hpa.Spec.MaxReplicas > hpa.Spec.MinReplicas);
        Assert.Null(prod.Deployment("billing-gateway").Spec.Replicas);
        // CPU utilisation is relative to the request: without one the autoscaler cannot act.
        Assert.Contains(hpa.Spec.Metrics, m => m.Resource?.Name == "cpu");
        Assert.NotNull(prod.Workload("gateway").Container.Resources.Requests["cpu"]);
    }

    [Fact]
    public void Prod_disruption_budgets_cover_silos_and_gateways_and_leave_room_to_drain()
    {
        var prod = Kubectl.Render("prod");
        var budgets = prod.All<V1PodDisruptionBudget>();
        foreach (var component in (string[])["silo", "gateway"])
        {
            var workload = prod.Workload(component);
            var budget = Assert.Single(budgets, b => prod.WorkloadsSelectedBy(b.Spec.Selector.MatchLabels).Contains(workload));
            Assert.Equal([workload], prod.WorkloadsSelectedBy(budget.Spec.Selector.MatchLabels));
            // maxUnavailable (not minAvailable = replicas) so that a node drain can always proceed.
            Assert.Null(budget.Spec.MinAvailable);
            Assert.Equal("1", budget.Spec.MaxUnavailable?.Value);
        }
    }

    [Theory]
    [MemberData(nameof(Overlays.All), MemberType = typeof(Overlays))]
    public void Rolling_updates_add_a_pod_before_removing_one(string overlay)
    {
        foreach (var deployment in Kubectl.Render(overlay).All<V1Deployment>())
        {
            Assert.Equal("RollingUpdate", deployment.Spec.Strategy?.Type);
            Assert.Equal("0", deployment.Spec.Strategy?.RollingUpdate?.MaxUnavailable?.Value);
            Assert.Equal("1", deployment.Spec.Strategy?.RollingUpdate?.MaxSurge?.Value);
        }
    }

    [Theory]
    [MemberData(nameof(Overlays.All), MemberType = typeof(Overlays))]
    public void Images_are_pinned_to_a_registry_and_a_tag(string overlay)
    {
        foreach (var workload in Kubectl.Render(overlay).Workloads)
        {
            var image = workload.Container.Image;
            Assert.Contains('/', image);
            var tag = image[(image.LastIndexOf(':') + 1)..];
            Assert.True(image.LastIndexOf(':') > image.LastIndexOf('/') && tag != "latest", $"{overlay}: {workload} runs {image}");
        }
    }
}
