using Billing.Recovery;
using Billing.Recovery.Api;
using Billing.Recovery.Store;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Billing.Grains.Recovery;

/// <summary>
/// The one recovery job of a kind in the cluster (key: the kind). The job runs on a grain timer of this activation
/// (kept alive while it runs) and saves its cursor after every step; when the silo dies, the scheduler resumes it on
/// another silo from that cursor. A second activation during a handover cannot corrupt it: every save is fenced by the
/// job's revision, and the database allows one running job per kind. Stripe failing (429, 5xx, timeouts) or a
/// customer's journal being unavailable pauses the job and reads the same page again; only a refusal retrying cannot
/// fix (a bad key, a missing permission) ends it as failed.
/// </summary>
public sealed partial class StripeSyncGrain(
    SyncStore store,
    StripeApi stripe,
    SyncRunFactory runs,
    IOptions<StripeSyncOptions> options,
    TimeProvider time,
    ILogger<StripeSyncGrain> logger) : Grain, IStripeSyncGrain
{
    private IGrainTimer? _runner;

    private string Kind => this.GetPrimaryKeyString();

    /// <inheritdoc/>
    public async Task<SyncStart> StartAsync(DateTimeOffset? since = null)
    {
        if (!stripe.Configured)
        {
            return new SyncStart(null, false, StripeSyncGrainErrors.NotConfigured);
        }

        var now = time.GetUtcNow();
        if (Kind == SyncKinds.Backfill && (since is not { } from || from > now || from < now - EventsRun.Reach))
        {
            return new SyncStart(null, false, StripeSyncGrainErrors.SinceOutOfRange);
        }

        if (await store.FindRunningAsync(Kind) is { } running)
        {
            EnsureRunning(running);
            return new SyncStart(running.Job, false, null);
        }

        var job = new SyncJob($"{Kind}_{now:yyyyMMddTHHmmss}_{Guid.NewGuid():N}"[..(Kind.Length + 24)], Kind, SyncStates.Running, now, null,
            new SyncCounts(), Progress: Kind == SyncKinds.Poll ? null : 0, LastError: null);
        var record = new SyncJobRecord(job, Kind == SyncKinds.Backfill ? EventsRun.InitialCursor(since!.Value, now) : null, 1);
        if (!await store.TryStartAsync(record))
        {
            // Another silo started one a moment ago.
            return await store.FindRunningAsync(Kind) is { } other ? new SyncStart(other.Job, false, null) : new SyncStart(null, false, null);
        }

        LogStarted(job.Id, Kind);
        EnsureRunning(record);
        return new SyncStart(job, true, null);
    }

    /// <inheritdoc/>
    public async Task ResumeAsync()
    {
        if (_runner is null && stripe.Configured && await store.FindRunningAsync(Kind) is { } running)
        {
            LogResumed(running.Job.Id, Kind);
            EnsureRunning(running);
        }
    }

    private void EnsureRunning(SyncJobRecord record) =>
        _runner ??= this.RegisterGrainTimer(cancellationToken => RunAsync(record, cancellationToken),
            new GrainTimerCreationOptions(TimeSpan.Zero, Timeout.InfiniteTimeSpan) { KeepAlive = true, Interleave = true });

    private async Task RunAsync(SyncJobRecord record, CancellationToken cancellationToken)
    {
        var context = new SyncJobContext(store, record, time);
        var run = runs.Create(Kind);
        try
        {
            while (true)
            {
                try
                {
                    await run.RunAsync(context, cancellationToken);
                    await context.FinishAsync(SyncStates.Done, null, cancellationToken);
                    LogFinished(context.JobId, Kind, context.Job.Counts.Fetched, context.Job.Counts.Applied);
                    return;
                }
                catch (StripeRefusedException refused)
                {
                    LogRefused(context.JobId, refused.Status, refused.Code);
                    await context.FinishAsync(SyncStates.Failed, refused.Message, cancellationToken);
                    return;
                }
                catch (MassDriftException mass)
                {
                    await context.FinishAsync(SyncStates.Failed, mass.Message, cancellationToken);
                    return;
                }
                catch (Exception exception) when (exception is not (JobTakenOverException or OperationCanceledException))
                {
                    // Stripe unavailable after every retry, a customer's journal or the cluster unavailable: nothing is
                    // skipped, the job reads the same page again from its cursor after a pause.
                    LogStalled(exception, context.JobId, options.Value.StallDelay);
                    await context.ReportAsync($"paused, will retry: {Describe(exception)}", cancellationToken);
                    await Task.Delay(options.Value.StallDelay, time, cancellationToken);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The activation is going away: the scheduler resumes the job from its cursor.
        }
        catch (JobTakenOverException)
        {
            LogTakenOver(context.JobId);
        }
        finally
        {
            _runner?.Dispose();
            _runner = null;
        }
    }

    // Exception messages of ours and Stripe's name ids and statuses, never personal data.
    private static string Describe(Exception exception) => exception switch
    {
        StripeUnavailableException unavailable => unavailable.Message,
        TimeoutException => "a customer did not answer in time",
        _ => $"{exception.GetType().Name}: {exception.Message}",
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Started recovery job {JobId} ({Kind})")]
    private partial void LogStarted(string jobId, string kind);

    [LoggerMessage(Level = LogLevel.Information, Message = "Resuming recovery job {JobId} ({Kind}) from its cursor")]
    private partial void LogResumed(string jobId, string kind);

    [LoggerMessage(Level = LogLevel.Information, Message = "Recovery job {JobId} ({Kind}) finished: {Fetched} fetched, {Applied} applied")]
    private partial void LogFinished(string jobId, string kind, long fetched, long applied);

    [LoggerMessage(Level = LogLevel.Error, Message = "Recovery job {JobId} failed: Stripe refused a request ({Status}, {Code})")]
    private partial void LogRefused(string jobId, int status, string? code);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recovery job {JobId} paused; reading the same page again in {Delay}")]
    private partial void LogStalled(Exception exception, string jobId, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recovery job {JobId} was taken over by another activation; this one stops")]
    private partial void LogTakenOver(string jobId);
}
