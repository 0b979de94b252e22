using System.Xml;
using Billing.Grains.Anomalies;

namespace Billing.Gateway.Admin;

/// <summary><c>GET /admin/anomalies</c>: newest first.</summary>
public sealed record AnomaliesView(IReadOnlyList<AnomalyView> Anomalies);

/// <summary>
/// One anomaly as CONTRACT.md lists it (<c>id, kind, scope, detected_at, window, observed, expected, state,
/// resolved_at</c>), <c>window</c> an ISO 8601 duration, with the rest of its evidence after.
/// </summary>
public sealed record AnomalyView(
    string Id,
    string Kind,
    string Scope,
    DateTime DetectedAt,
    string Window,
    double Observed,
    double Expected,
    string State,
    DateTime? ResolvedAt,
    DateTime WindowStart,
    double PValue,
    string Test,
    bool CardTesting,
    IReadOnlyList<string> SampleEventIds,
    DateTime? AcknowledgedAt,
    string? ResolvedBy,
    DateTime? DeliveredAt)
{
    /// <summary>The view of <paramref name="anomaly"/>.</summary>
    public static AnomalyView From(Anomaly anomaly)
    {
        ArgumentNullException.ThrowIfNull(anomaly);
        return new AnomalyView(anomaly.Id, anomaly.Kind, anomaly.Scope, anomaly.DetectedAt.UtcDateTime, XmlConvert.ToString(anomaly.Window),
            anomaly.Observed, anomaly.Expected, AnomalyStateNames.NameOf(anomaly.State), anomaly.ResolvedAt?.UtcDateTime,
            anomaly.WindowStart.UtcDateTime, anomaly.PValue, anomaly.Test, anomaly.CardTesting, [.. anomaly.SampleEventIds],
            anomaly.AcknowledgedAt?.UtcDateTime, anomaly.ResolvedBy, anomaly.DeliveredAt?.UtcDateTime);
    }
}
