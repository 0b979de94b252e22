using System.Globalization;
using Billing.Recovery;
using Billing.Recovery.Api;
using Billing.Recovery.Store;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Billing.Grains.Recovery;

/// <summary>
/// The cluster's recovery scheduler (key 0; every silo's <c>RecoveryKeeper</c> pokes it): resumes any running job whose
/// activation is gone, starts the Events API poll every <c>Stripe:Sync:PollInterval</c> and the reconciliation every
/// <c>Billing:Reconcile:Interval</c> (the first one interval after the first tick, so a new deployment imports first),
/// and forgets jobs and drifts older than 7 days. When each is next due is kept in the store, so a restart neither
/// skips nor repeats a run.
/// </summary>
public sealed partial class RecoverySchedulerGrain(
    SyncStore store,
    StripeApi stripe,
    IOptions<StripeSyncOptions> sync,
    IOptions<ReconcileOptions> reconcile,
    TimeProvider time,
    ILogger<RecoverySchedulerGrain> logger) : Grain, IRecoverySchedulerGrain
{
    private const string NextPoll = "next-poll";
    private const string NextReconcile = "next-reconcile";
    private const string NextPrune = "next-prune";

    /// <inheritdoc/>
    public async Task TickAsync()
    {
        if (!stripe.Configured)
        {
            return;
        }

        foreach (var kind in SyncKinds.All)
        {
            await GrainFactory.GetGrain<IStripeSyncGrain>(kind).ResumeAsync();
        }

        await StartWhenDueAsync(SyncKinds.Poll, NextPoll, sync.Value.PollInterval, firstRunImmediately: true);
        await StartWhenDueAsync(SyncKinds.Reconcile, NextReconcile, reconcile.Value.Interval, firstRunImmediately: false);
        if (await DueAsync(NextPrune, TimeSpan.FromDays(1), firstRunImmediately: true))
        {
            await store.PruneAsync(time.GetUtcNow() - SyncStore.Kept);
        }
    }

    private async Task StartWhenDueAsync(string kind, string name, TimeSpan interval, bool firstRunImmediately)
    {
        if (interval > TimeSpan.Zero && await DueAsync(name, interval, firstRunImmediately))
        {
            var start = await GrainFactory.GetGrain<IStripeSyncGrain>(kind).StartAsync();
            if (start.Started)
            {
                LogScheduled(kind, start.Job!.Id);
            }
        }
    }

    // Whether the run named <name> is due; when it is, the next one is set an interval from now.
    private async Task<bool> DueAsync(string name, TimeSpan interval, bool firstRunImmediately)
    {
        var now = time.GetUtcNow();
        var stored = await store.GetValueAsync(name);
        var next = stored is not null && long.TryParse(stored, CultureInfo.InvariantCulture, out var unix)
            ? DateTimeOffset.FromUnixTimeMilliseconds(unix)
            : firstRunImmediately ? now : now + interval;
        if (stored is null && !firstRunImmediately)
        {
            await store.SetValueAsync(name, next.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));
        }

        if (now < next)
        {
            return false;
        }

        await store.SetValueAsync(name, (now + interval).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));
        return true;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Scheduled recovery job {JobId} ({Kind})")]
    private partial void LogScheduled(string kind, string jobId);
}
