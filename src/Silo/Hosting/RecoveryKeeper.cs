using Billing.Grains.Recovery;
using Billing.Recovery;
using Billing.Recovery.Api;
using Microsoft.Extensions.Options;
using Orleans.Runtime;

namespace Billing.Silo.Hosting;

/// <summary>
/// Every silo, every <c>Stripe:Sync:SchedulerInterval</c>: gives this silo its share of the Stripe request ceiling
/// (the ceiling divided by the active silos), and pokes the cluster's recovery scheduler, which starts the poll and
/// the reconciliation when due and resumes a job whose silo died. Nothing happens without <c>Stripe:ApiKey</c>.
/// </summary>
internal sealed class RecoveryKeeper(
    IGrainFactory grains,
    IClusterMembershipService membership,
    StripeRequestBudget budget,
    StripeApi stripe,
    IOptions<StripeSyncOptions> options,
    ILogger<RecoveryKeeper> logger) : SiloKeeper(logger)
{
    protected override TimeSpan Interval => options.Value.SchedulerInterval;

    protected override Task TickAsync(CancellationToken cancellationToken)
    {
        if (!stripe.Configured)
        {
            return Task.CompletedTask;
        }

        budget.SiloCountChanged(membership.CurrentSnapshot.Members.Values.Count(m => m.Status == SiloStatus.Active));
        return grains.GetGrain<IRecoverySchedulerGrain>(0).TickAsync();
    }
}
