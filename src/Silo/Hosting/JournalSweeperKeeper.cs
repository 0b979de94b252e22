using Billing.Grains.Journal;
using Billing.Journal;
using Microsoft.Extensions.Options;

namespace Billing.Silo.Hosting;

/// <summary>
/// Keeps the cluster's one journal sweeper (<see cref="IJournalMaintenanceGrain"/>) running: every sweep interval each
/// silo asks it to run, which activates it on a live silo within one interval after its silo died (its durable
/// reminder alone would take up to a minute). A call to a running sweeper costs nothing.
/// </summary>
internal sealed class JournalSweeperKeeper(IGrainFactory grains, IOptions<JournalOptions> options, ILogger<JournalSweeperKeeper> logger)
    : SiloKeeper(logger)
{
    protected override TimeSpan Interval => options.Value.SweepInterval;

    protected override Task TickAsync(CancellationToken cancellationToken) =>
        grains.GetGrain<IJournalMaintenanceGrain>(IJournalMaintenanceGrain.Key).StartAsync();
}
