using Microsoft.Extensions.DependencyInjection;

namespace Billing.Grains.Recovery;

/// <summary>Makes the work of each kind of recovery job, with its services.</summary>
public sealed class SyncRunFactory(IServiceProvider services)
{
    /// <summary>The work of a job of <paramref name="kind"/>.</summary>
    public ISyncRun Create(string kind) => kind switch
    {
        SyncKinds.Import => ActivatorUtilities.CreateInstance<ImportRun>(services),
        SyncKinds.Backfill or SyncKinds.Poll => ActivatorUtilities.CreateInstance<EventsRun>(services, kind),
        SyncKinds.Reconcile => ActivatorUtilities.CreateInstance<ReconcileRun>(services),
        _ => throw new ArgumentException($"unknown recovery job kind '{kind}'", nameof(kind)),
    };
}
