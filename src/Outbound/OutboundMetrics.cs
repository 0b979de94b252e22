using System.Diagnostics.Metrics;

namespace Billing.Outbound;

/// <summary>
/// Outbound deliveries' instruments on the <c>Billing</c> meter, by OpenTelemetry's conventions: a unit on each, one
/// counter per thing with an outcome attribute, <c>billing.outbound.*</c> attribute names, snake_case values.
/// </summary>
internal sealed class OutboundMetrics
{
    /// <summary>The meter every Billing host exports.</summary>
    public const string MeterName = "Billing";

    /// <summary>Whose endpoint: <c>fulfillment</c> or <c>notifications</c>.</summary>
    public const string TargetAttribute = "billing.outbound.target";

    /// <summary>What became of one delivery to one endpoint.</summary>
    public const string OutcomeAttribute = "billing.outbound.outcome";

    /// <summary>What became of one replay.</summary>
    public const string ReplayStatusAttribute = "billing.outbound.replay.status";

    private readonly Counter<long> _deliveries;
    private readonly Counter<long> _deadLetters;
    private readonly Counter<long> _replays;
    private readonly Counter<long> _purged;

    public OutboundMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _deliveries = meter.CreateCounter<long>("billing.outbound.deliveries", "{delivery}",
            "Deliveries to one endpoint, by billing.outbound.target and billing.outbound.outcome " +
            "(delivered, retry_later, dead_lettered, not_configured).");
        _deadLetters = meter.CreateCounter<long>("billing.outbound.dead_letters", "{dead_letter}",
            "Dead letters stored (first time only), by billing.outbound.target.");
        _replays = meter.CreateCounter<long>("billing.outbound.replays", "{replay}",
            "Replays of dead letters, by billing.outbound.replay.status (delivered, rejected, unreachable, not_signed, purged).");
        _purged = meter.CreateCounter<long>("billing.outbound.dead_letters.purged", "{dead_letter}",
            "Dead letters whose receiver answer, personal data and endpoint path were removed after the retention period.");
    }

    public void Delivery(OutboundTarget target, string outcome) =>
        _deliveries.Add(1, new KeyValuePair<string, object?>(TargetAttribute, DeadLetterStore.TargetName(target)),
            new KeyValuePair<string, object?>(OutcomeAttribute, outcome));

    public void DeadLetterStored(OutboundTarget target) =>
        _deadLetters.Add(1, new KeyValuePair<string, object?>(TargetAttribute, DeadLetterStore.TargetName(target)));

    public void Replay(ReplayStatus status) =>
        _replays.Add(1, new KeyValuePair<string, object?>(ReplayStatusAttribute, ReplayStatusName(status)));

    public void Purged(int count)
    {
        if (count > 0)
        {
            _purged.Add(count);
        }
    }

    /// <summary>How a replay's status is written in metrics and the admin API.</summary>
    public static string ReplayStatusName(ReplayStatus status) => status switch
    {
        ReplayStatus.Delivered => "delivered",
        ReplayStatus.Rejected => "rejected",
        ReplayStatus.Unreachable => "unreachable",
        ReplayStatus.NotSigned => "not_signed",
        ReplayStatus.Purged => "purged",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Unknown replay status."),
    };
}
