namespace Billing.Grains.Recovery;

/// <summary>
/// The one recovery job of a kind in the cluster (key: a <see cref="SyncKinds"/> name). Its progress and cursor are
/// durable: when its silo dies, the next activation resumes the job where the cursor says.
/// </summary>
public interface IStripeSyncGrain : IGrainWithStringKey
{
    /// <summary>
    /// Starts a job (backfill: reading events created at or after <paramref name="since"/>); answers at once with the job.
    /// When one of this kind is already running, answers that one with <see cref="SyncStart.Started"/> false.
    /// </summary>
    Task<SyncStart> StartAsync(DateTimeOffset? since = null);

    /// <summary>Keeps a running job going (after its silo died); harmless when there is none or it runs.</summary>
    Task ResumeAsync();
}

/// <summary>The answer to <see cref="IStripeSyncGrain.StartAsync"/>.</summary>
/// <param name="Job">The job started, or the one already running; null when refused.</param>
/// <param name="Started">Whether this call started it.</param>
/// <param name="Error">Why it was refused: <c>stripe_api_not_configured</c> or <c>since_out_of_range</c>.</param>
[GenerateSerializer]
[Immutable]
[Alias("billing.SyncStart")]
public sealed record SyncStart([property: Id(0)] SyncJob? Job, [property: Id(1)] bool Started, [property: Id(2)] string? Error);

/// <summary>Reads for operators: recovery jobs and drift (a stateless worker: any silo answers).</summary>
public interface IRecoveryQueriesGrain : IGrainWithIntegerKey
{
    /// <summary>Jobs of the last 7 days, newest first.</summary>
    Task<System.Collections.Immutable.ImmutableArray<SyncJob>> ListJobsAsync();

    /// <summary>The latest reconciliation and the drifts of the last 7 days, newest first.</summary>
    Task<DriftReport> GetDriftAsync();
}

/// <summary>
/// Starts the poll and the reconciliation when due and resumes jobs whose silo died; every silo pokes it, it runs
/// once in the cluster.
/// </summary>
public interface IRecoverySchedulerGrain : IGrainWithIntegerKey
{
    /// <summary>Does what is due now.</summary>
    Task TickAsync();
}

/// <summary>Why <see cref="IStripeSyncGrain.StartAsync"/> refused (<see cref="SyncStart.Error"/>).</summary>
public static class StripeSyncGrainErrors
{
    /// <summary><c>Stripe:ApiKey</c> is not set on the silos.</summary>
    public const string NotConfigured = "stripe_api_not_configured";

    /// <summary>A backfill's <c>since</c> is missing, in the future or more than 30 days back.</summary>
    public const string SinceOutOfRange = "since_out_of_range";
}
