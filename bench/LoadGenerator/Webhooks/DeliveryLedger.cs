using System.Collections.Concurrent;
using Billing.Bench.LoadGenerator.Events;

namespace Billing.Bench.LoadGenerator.Webhooks;

/// <summary>
/// Which events were sent to a target and which of them it acknowledged with a 2xx: the contract promises that a
/// 2xx means stored, so the final state must reflect exactly the acknowledged events.
/// </summary>
internal sealed class DeliveryLedger
{
    private readonly ConcurrentDictionary<string, PlannedEvent> _sent = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, PlannedEvent> _acknowledged = new(StringComparer.Ordinal);

    /// <summary>Records that <paramref name="plannedEvent"/> was sent (again).</summary>
    public void Sent(PlannedEvent plannedEvent) => _sent.TryAdd(plannedEvent.EventId, plannedEvent);

    /// <summary>Records a 2xx for <paramref name="plannedEvent"/>.</summary>
    public void Acknowledged(PlannedEvent plannedEvent) => _acknowledged.TryAdd(plannedEvent.EventId, plannedEvent);

    /// <summary>Distinct events sent.</summary>
    public int SentCount => _sent.Count;

    /// <summary>The events acknowledged at least once.</summary>
    public ICollection<PlannedEvent> AcknowledgedEvents => _acknowledged.Values;

    /// <summary>Events sent but never acknowledged: their effect is unknown (a 503 stored nothing, a timeout may have).</summary>
    public List<PlannedEvent> Unacknowledged() =>
        [.. _sent.Values.Where(e => !_acknowledged.ContainsKey(e.EventId))];
}
