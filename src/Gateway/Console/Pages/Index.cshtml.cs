using Billing.Gateway.Admin;
using Billing.Outbound;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Billing.Gateway.OperatorConsole.Pages;

/// <summary><c>/console</c>: the cluster's silos, readiness, and what waits for an operator.</summary>
public sealed class IndexModel(IClusterClient cluster, HealthCheckService health, DeadLetterOperations deadLetters) : PageModel
{
    // Counting stops here: the overview reads one bounded page, not the whole table.
    private const int PendingCountLimit = 100;

    private const int SiloLimit = 50;

    /// <summary>The silos in the membership table, active first.</summary>
    public IReadOnlyList<SiloRow> Silos { get; private set; } = [];

    /// <summary>Grain activations across the cluster.</summary>
    public int Activations { get; private set; }

    /// <summary>Whether the gateway's readiness checks pass.</summary>
    public bool Ready { get; private set; }

    /// <summary>The readiness checks' descriptions.</summary>
    public string ReadinessDetail { get; private set; } = string.Empty;

    /// <summary>Dead letters waiting for a replay (<c>100+</c> past the count limit).</summary>
    public string PendingDeadLetters { get; private set; } = "0";

    /// <summary>Reads the cluster, the checks and the dead letters together.</summary>
    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var management = cluster.GetGrain<IManagementGrain>(0);
        var hosts = management.GetDetailedHosts(onlyActive: false, CancellationToken.None);
        var activations = management.GetTotalActivationCount(CancellationToken.None);
        var report = health.CheckHealthAsync(cancellationToken);
        var pending = deadLetters.ListAsync(new DeadLetterQuery(PendingCountLimit + 1, PendingOnly: true), cancellationToken);

        Silos = [.. (await hosts)
            .OrderBy(h => h.Status == SiloStatus.Active ? 0 : 1).ThenByDescending(h => h.StartTime).Take(SiloLimit)
            .Select(h => new SiloRow(h.SiloName, h.HostName, h.SiloAddress.ToString(), h.Status.ToString(), h.StartTime, h.IAmAliveTime))];
        Activations = await activations;
        var checks = await report;
        Ready = checks.Status == HealthStatus.Healthy;
        ReadinessDetail = string.Join("; ", checks.Entries.Select(e => $"{e.Key}: {e.Value.Description ?? e.Value.Status.ToString()}"));
        var count = (await pending).Count;
        PendingDeadLetters = count > PendingCountLimit ? $"{PendingCountLimit}+" : count.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}

/// <summary>One silo as the overview lists it.</summary>
public sealed record SiloRow(string Name, string Host, string Address, string Status, DateTime StartedAt, DateTime AliveAt);
