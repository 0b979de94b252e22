using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Billing.Gateway.Cluster;

/// <summary>Ready only when a silo answers: the gateway can place events and serve entitlements.</summary>
public sealed class ClusterHealthCheck(IClusterClient cluster) : IHealthCheck
{
    /// <inheritdoc/>
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var hosts = await cluster.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true, cancellationToken)
                .WaitAsync(TimeSpan.FromSeconds(3), cancellationToken);
            return hosts.Count > 0
                ? HealthCheckResult.Healthy($"{hosts.Count} active silo(s)")
                : HealthCheckResult.Unhealthy("no active silo");
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("the cluster cannot be reached", exception);
        }
    }
}
