using Billing.Grains.Recovery;

namespace Billing.Gateway.Admin;

/// <summary>What <c>GET /admin/stripe/jobs</c>, <c>GET /admin/drift</c> and the console's recovery page show.</summary>
public sealed class RecoveryQueries(IClusterClient cluster)
{
    /// <summary>Recovery jobs of the last 7 days, newest first.</summary>
    public async Task<JobsView> ListJobsAsync() =>
        new([.. (await cluster.GetGrain<IRecoveryQueriesGrain>(0).ListJobsAsync()).Select(JobView.From)]);

    /// <summary>The latest reconciliation and the drifts of the last 7 days.</summary>
    public async Task<DriftView> GetDriftAsync() => DriftView.From(await cluster.GetGrain<IRecoveryQueriesGrain>(0).GetDriftAsync());
}
