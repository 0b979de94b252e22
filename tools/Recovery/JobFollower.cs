namespace Billing.RecoveryTool;

/// <summary>
/// Starts a recovery job (or finds the one already running) and follows it to its end, reading
/// <c>GET /admin/stripe/jobs</c> every <see cref="ToolContext.PollInterval"/> and finding the job by its id. The job
/// runs in the cluster: stopping the tool (Ctrl-C, a lost connection) only stops the watching.
/// </summary>
internal sealed class JobFollower(AdminClient client, ToolContext context)
{
    /// <summary>
    /// <c>POST /admin/stripe/{kind}</c>, then, when <paramref name="follow"/>, follows the job; a 409 is followed the
    /// same way, as it names the job of that kind already running.
    /// </summary>
    /// <returns>An <see cref="ExitCodes"/> value: success when the job ends done (or is only started).</returns>
    public async Task<int> StartAsync(string kind, DateTimeOffset? since, bool follow, CancellationToken cancellationToken)
    {
        StartResult start;
        try
        {
            start = await client.StartAsync(kind, since, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The request may have reached the gateway before the interruption.
            context.Error.WriteLine($"interrupted: the {kind} job may have started all the same (the jobs command lists it)");
            return ExitCodes.Interrupted;
        }

        var job = start.Job;
        context.Error.WriteLine(start.AlreadyRunning
            ? $"a {kind} job is already running (started {Formatting.Time(job.StartedAt)}): {Formatting.OneLine(job.Id)}; " +
              (follow ? "following it instead of starting another" : "no other was started")
            : $"started {kind} job {Formatting.OneLine(job.Id)}");
        if (!follow)
        {
            context.Out.WriteLine(Formatting.JobLine(job));
            return ExitCodes.Success;
        }
        return await FollowAsync(job, cancellationToken);
    }

    /// <summary>Follows <paramref name="job"/> until it is no longer running, then writes its summary to stdout.</summary>
    /// <returns><see cref="ExitCodes.Success"/> when it ended done, <see cref="ExitCodes.Failure"/> when it failed or could not be followed.</returns>
    public async Task<int> FollowAsync(JobInfo job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var bar = new ProgressBar(context.Error, context.ErrorIsTerminal, context.ErrorColumns, context.Time, context.PlainProgressInterval);
        var lastAnswer = context.Time.GetUtcNow();
        var struggling = false;
        try
        {
            while (job.State == JobStates.Running)
            {
                bar.Show(job);
                await Task.Delay(context.PollInterval, context.Time, cancellationToken);
                try
                {
                    var latest = (await client.ListJobsAsync(cancellationToken)).FirstOrDefault(listed => listed.Id == job.Id);
                    if (latest is null)
                    {
                        bar.Finish();
                        context.Error.WriteLine($"error: job {Formatting.OneLine(job.Id)} is no longer in the gateway's list (the jobs of the last 7 days); " +
                            "it may go on in the cluster");
                        return ExitCodes.Failure;
                    }

                    (job, lastAnswer, struggling) = (latest, context.Time.GetUtcNow(), false);
                }
                catch (Exception e) when (!cancellationToken.IsCancellationRequested && client.Describe(e) is { } problem)
                {
                    if (!IsTransient(e) || context.Time.GetUtcNow() - lastAnswer >= context.GiveUpAfter)
                    {
                        bar.Finish();
                        context.Error.WriteLine($"error: {problem}");
                        context.Error.WriteLine($"stopped following {Formatting.OneLine(job.Id)}: the job goes on in the cluster (the jobs command shows it)");
                        return ExitCodes.Failure;
                    }

                    // Once per outage: a note every second would bury the bar.
                    if (!struggling)
                    {
                        bar.Note($"{problem}; trying again for up to {Formatting.Duration(context.GiveUpAfter)}");
                        struggling = true;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            bar.Finish();
            context.Error.WriteLine($"stopped following {Formatting.OneLine(job.Id)}: the job goes on in the cluster (the jobs command shows it)");
            return ExitCodes.Interrupted;
        }

        // The final state (100% for a done job) stays on screen above the summary.
        bar.Show(job);
        bar.Finish();
        context.Out.WriteLine(Formatting.Summary(job, context.Time.GetUtcNow()));
        return job.State == JobStates.Done ? ExitCodes.Success : ExitCodes.Failure;
    }

    /// <summary>Whether the same read may succeed a moment later: the gateway restarting, a proxy's 502, a timeout.</summary>
    private static bool IsTransient(Exception exception) => exception switch
    {
        AdminApiException api => api.IsTransient,
        HttpRequestException or TaskCanceledException => true,
        _ => false,
    };
}
