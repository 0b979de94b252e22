using System.Collections.Immutable;
using Billing.Insights;
using Billing.Insights.State;
using Billing.Grains.Anomalies.Store;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Billing.Grains.Anomalies;

/// <summary>
/// One account's detector (ADR 0012): an <see cref="AccountDetector"/> whose state is grain state, written every
/// <see cref="DetectionOptions.StateWriteInterval"/> rather than per batch (a crash loses at most that much counting;
/// detection is statistical, and the anomalies themselves are stored at once). Anomalies live in the
/// <see cref="AnomalyStore"/>, the truth about which kinds are open: on activation the detector reopens what the store
/// says is unresolved, so a crash between storing an anomaly and writing the state does not page twice.
/// </summary>
public sealed partial class AnomalyDetectorGrain(
    [PersistentState("anomalyDetector", Constants.StorageName)] IPersistentState<DetectorState> state,
    AnomalyStore store,
    AnomalyNotifier notifier,
    IOptionsMonitor<DetectionOptions> options,
    InsightsMetrics metrics,
    TimeProvider time,
    ILogger<AnomalyDetectorGrain> logger) : Grain, IAnomalyDetectorGrain, IRemindable
{
    private const string Upkeep = "anomaly-upkeep";

    private AccountDetector _detector = null!;
    private bool _dirty;

    private string Scope => this.GetPrimaryKeyString();

    /// <inheritdoc/>
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _detector = new AccountDetector(options.CurrentValue, state.State);
        var pending = await store.ListPendingAsync(Scope, cancellationToken);
        OpenWhatIsUnresolved(pending);

        this.RegisterGrainTimer(static (grain, _) => grain.WriteIfDirtyAsync(), this, new GrainTimerCreationOptions
        {
            DueTime = options.CurrentValue.StateWriteInterval,
            Period = options.CurrentValue.StateWriteInterval,
        });
        await UpkeepAsync(pending);
    }

    /// <inheritdoc/>
    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => WriteIfDirtyAsync();

    /// <inheritdoc/>
    public async Task ObserveAsync(ImmutableArray<SignalObservation> observations)
    {
        foreach (var observation in observations)
        {
            metrics.Observed(observation.Kind);
        }

        _dirty |= _detector.Observe(observations.Where(o => o.Account == Scope)) > 0;
        if (await EvaluateAsync())
        {
            await UpkeepAsync(await store.ListPendingAsync(Scope));
        }
    }

    /// <inheritdoc/>
    public async Task AnomalyResolvedAsync(string anomalyId)
    {
        if (await store.GetAsync(anomalyId) is { State: AnomalyState.Resolved } resolved && resolved.Scope == Scope)
        {
            await ReopenFromStoreAsync();
        }
    }

    /// <inheritdoc/>
    public Task<DetectorStatus> GetStatusAsync()
    {
        var gauge = _detector.DisputeRatio;
        return Task.FromResult(new DetectorStatus(Scope, gauge.Disputes, gauge.SuccessfulPayments, gauge.Ratio,
            gauge.Level.ToString().ToLowerInvariant(), [.. AnomalyKinds.All.Where(_detector.IsOpen)]));
    }

    /// <inheritdoc/>
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        await EvaluateAsync();
        await UpkeepAsync(await store.ListPendingAsync(Scope)); // whether or not it found anything: deliveries, expiry
    }

    // Tests the windows ending now; each page becomes a stored anomaly (its kind opened). True when it found
    // anything: the caller then delivers and keeps the reminder (UpkeepAsync).
    private async Task<bool> EvaluateAsync()
    {
        var now = time.GetUtcNow();
        var findings = _detector.Evaluate(now);
        if (Scope == StripeSignalReader.Platform)
        {
            metrics.PlatformDisputeRatio = _detector.DisputeRatio.Ratio;
        }

        if (findings.Count == 0)
        {
            return false;
        }

        _dirty = true;

        foreach (var finding in findings)
        {
            metrics.Detected(finding.Kind, finding.Severity);
            if (finding.Severity != FindingSeverity.Page)
            {
                LogWarning(logger, Scope, finding.Kind, finding.Observed, finding.Expected);
                continue;
            }

            var anomaly = AnomalyFactory.From(Scope, finding, now);
            if (await store.AddAsync(anomaly))
            {
                LogDetected(logger, anomaly.Id, Scope, anomaly.Kind, finding.Observed, finding.Expected, finding.PValue);
            }
        }

        // The open kinds must reach the state before anything else can fail; deliveries follow.
        await WriteIfDirtyAsync();
        return true;
    }

    // Delivers what is undelivered, resolves what expired, and keeps a reminder while anything is pending.
    private async Task UpkeepAsync(ImmutableArray<Anomaly> pending)
    {
        var now = time.GetUtcNow();
        var stillPending = false;
        foreach (var anomaly in pending)
        {
            if (anomaly.DeliveredAt is null && !await notifier.DeliverAsync(anomaly))
            {
                stillPending = true;
            }

            if (anomaly.State != AnomalyState.Resolved)
            {
                if (now - anomaly.DetectedAt >= options.CurrentValue.AutoResolveAfter)
                {
                    await store.TransitionAsync(anomaly.Id, AnomalyState.Resolved, now, AnomalyResolvers.Expired);
                    _detector.SetOpen(anomaly.Kind, false);
                    _dirty = true;
                }
                else
                {
                    stillPending = true;
                }
            }
        }

        // A reminder, not a timer: it wakes the detector after a restart even if its account stays quiet.
        if (stillPending)
        {
            await this.RegisterOrUpdateReminder(Upkeep, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5));
        }
        else if (await this.GetReminder(Upkeep) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    private async Task ReopenFromStoreAsync()
    {
        OpenWhatIsUnresolved(await store.ListPendingAsync(Scope));
        await WriteIfDirtyAsync();
    }

    // The store decides which kinds are open: an anomaly stored just before a crash, or resolved by an operator while
    // this detector was asleep, is known here only through it.
    private void OpenWhatIsUnresolved(ImmutableArray<Anomaly> pending)
    {
        var unresolved = pending.Where(anomaly => anomaly.State != AnomalyState.Resolved).Select(anomaly => anomaly.Kind)
            .ToHashSet(StringComparer.Ordinal);
        foreach (var kind in AnomalyKinds.All.Where(kind => _detector.IsOpen(kind) != unresolved.Contains(kind)))
        {
            _detector.SetOpen(kind, unresolved.Contains(kind));
            _dirty = true;
        }
    }

    private async Task WriteIfDirtyAsync()
    {
        if (!_dirty)
        {
            return;
        }

        await state.WriteStateAsync();
        _dirty = false;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Anomaly {AnomalyId} on {Scope}: {Kind} observed {Observed}, expected {Expected:F2}, p {PValue:E2}")]
    private static partial void LogDetected(ILogger logger, string anomalyId, string scope, string kind, long observed, double expected, double pValue);

    [LoggerMessage(Level = LogLevel.Information, Message = "Unusual {Kind} on {Scope} (warning, not paged): observed {Observed}, expected {Expected:F2}")]
    private static partial void LogWarning(ILogger logger, string scope, string kind, long observed, double expected);
}
