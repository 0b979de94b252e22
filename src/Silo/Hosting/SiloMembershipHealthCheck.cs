using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Billing.Silo.Hosting;

/// <summary>
/// Ready (<c>/readyz</c>) only while this silo is <see cref="SiloStatus.Active"/> in the cluster membership: not
/// while it joins (it takes no grains yet) and not once it is told to stop (it hands its grains over and leaves).
/// A rollout with <c>maxUnavailable: 0</c> therefore waits for each new silo to really be in the cluster before it
/// stops the next old one. Local state only: no database or grain call, so it answers at once even while
/// PostgreSQL is away (an Active silo keeps serving what it can; taking it out would not help).
/// </summary>
internal sealed class SiloMembershipHealthCheck(ISiloStatusOracle membership, IHostApplicationLifetime lifetime) : IHealthCheck
{
    /// <summary>The check's name in the health report.</summary>
    public const string Name = "orleans-membership";

    /// <inheritdoc/>
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = membership.CurrentStatus;

        // The host's stop begins before Orleans marks the silo ShuttingDown: say "not ready" from the first moment.
        var stopping = lifetime.ApplicationStopping.IsCancellationRequested;
        var result = status == SiloStatus.Active && !stopping
            ? HealthCheckResult.Healthy($"silo {membership.SiloName} is Active")
            : HealthCheckResult.Unhealthy($"silo {membership.SiloName} is {status}{(stopping ? " and stopping" : "")}");
        return Task.FromResult(result);
    }
}
