using System.Diagnostics.Metrics;

namespace Billing.Outbound;

/// <summary>Counters on the <c>Billing</c> meter, tagged with target and per-endpoint outcome.</summary>
internal sealed class OutboundMetrics
{
    /// <summary>The meter every Billing host exports.</summary>
    public const string MeterName = "Billing";

    private readonly Counter<long> _deliveries;
    private readonly Counter<long> _deadLetters;
    private readonly Counter<long> _replays;

    public OutboundMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _deliveries = meter.CreateCounter<long>("billing.outbound.deliveries", description: "Deliveries to one endpoint, by outcome.");
        _deadLetters = meter.CreateCounter<long>("billing.outbound.dead_letters", description: "Dead letters stored (first time only).");
        _replays = meter.CreateCounter<long>("billing.outbound.replays", description: "Replays of dead letters, by status.");
    }

    public void Delivery(OutboundTarget target, string outcome) =>
        _deliveries.Add(1, new KeyValuePair<string, object?>("target", DeadLetterStore.TargetName(target)),
            new KeyValuePair<string, object?>("outcome", outcome));

    public void DeadLetterStored(OutboundTarget target) =>
        _deadLetters.Add(1, new KeyValuePair<string, object?>("target", DeadLetterStore.TargetName(target)));

    public void Replay(ReplayStatus status) =>
        _replays.Add(1, new KeyValuePair<string, object?>("status", status.ToString()));
}
