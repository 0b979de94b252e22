using k8s.Models;

namespace Billing.Deploy.Tests.Infrastructure;

/// <summary>Who NetworkPolicies let in, as rendered.</summary>
internal static class NetworkPolicies
{
    /// <summary>
    /// The peers NetworkPolicies let reach <paramref name="port"/> of <paramref name="workload"/>'s pods; null when
    /// anything may (no policy isolates the pods, or a rule allows every source).
    /// </summary>
    public static List<V1NetworkPolicyPeer>? AllowedPeers(this RenderedOverlay rendered, Workload workload, int port)
    {
        var isolating = rendered.All<V1NetworkPolicy>()
            .Where(p => p.Spec.PolicyTypes?.Contains("Ingress") != false)
            .Where(p => p.Spec.PodSelector.MatchExpressions is null or { Count: 0 })
            .Where(p => p.Spec.PodSelector.MatchLabels is null or { Count: 0 } ||
                        rendered.WorkloadsSelectedBy(p.Spec.PodSelector.MatchLabels).Contains(workload))
            .ToList();
        if (isolating.Count == 0)
        {
            return null;
        }

        var peers = new List<V1NetworkPolicyPeer>();
        foreach (var rule in isolating.SelectMany(p => p.Spec.Ingress ?? []))
        {
            var coversPort = rule.Ports is null or { Count: 0 } || rule.Ports.Any(p =>
                p.Port is null || workload.Container.FindPort(p.Port)?.ContainerPort == port ||
                (p.EndPort is { } end && int.TryParse(p.Port.Value, out var start) && start <= port && port <= end));
            if (!coversPort)
            {
                continue;
            }

            if (rule.FromProperty is null or { Count: 0 })
            {
                return null;
            }

            peers.AddRange(rule.FromProperty);
        }

        return peers;
    }
}
