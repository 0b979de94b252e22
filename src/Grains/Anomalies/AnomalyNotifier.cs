using System.Text.Json;
using System.Text.Json.Serialization;
using Billing.Grains.Anomalies.Store;
using Billing.Outbound;

namespace Billing.Grains.Anomalies;

/// <summary>
/// Delivers <c>anomaly.detected</c> to the notification endpoints, signed like every outbound delivery, and records
/// it in the store. At least once: the detector calls again until it is recorded; receivers dedupe by id.
/// </summary>
public sealed class AnomalyNotifier(OutboundDelivery delivery, AnomalyStore store, TimeProvider time)
{
    /// <summary>The delivery's type.</summary>
    public const string MessageType = "anomaly.detected";

    /// <summary>Delivers <paramref name="anomaly"/>; false when it must be tried again later.</summary>
    public async Task<bool> DeliverAsync(Anomaly anomaly)
    {
        ArgumentNullException.ThrowIfNull(anomaly);
        var body = JsonSerializer.SerializeToUtf8Bytes(Message.From(anomaly), AnomalyJson.Default.Message);

        // The dead letters' "customer" column holds the account here: an anomaly belongs to no customer.
        var outcome = await delivery.DeliverAsync(OutboundTarget.Notifications, anomaly.Id, MessageType, anomaly.Scope, body);
        if (outcome == DeliveryOutcome.RetryLater)
        {
            return false;
        }

        await store.MarkDeliveredAsync(anomaly.Id, time.GetUtcNow());
        return true;
    }

    /// <summary>The body: the outbound envelope (<c>id, type, created, data</c>) with the anomaly's evidence.</summary>
    internal sealed record Message(string Id, string Type, long Created, Evidence Data)
    {
        public static Message From(Anomaly a) => new(a.Id, MessageType, a.DetectedAt.ToUnixTimeSeconds(), new Evidence(
            a.Kind, a.Scope, a.DetectedAt.UtcDateTime, a.WindowStart.UtcDateTime, System.Xml.XmlConvert.ToString(a.Window), a.Observed,
            a.Expected, a.PValue, a.Test, a.CardTesting, [.. a.SampleEventIds]));
    }

    /// <summary>What an on-call person needs to judge the page.</summary>
    internal sealed record Evidence(string Kind, string Scope, DateTime DetectedAt, DateTime WindowStart, string Window, double Observed,
        double Expected, double PValue, string Test, bool CardTesting, IReadOnlyList<string> SampleEventIds);
}

/// <summary>Source-generated JSON (snake_case) for <c>anomaly.detected</c>.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(AnomalyNotifier.Message))]
internal sealed partial class AnomalyJson : JsonSerializerContext;
