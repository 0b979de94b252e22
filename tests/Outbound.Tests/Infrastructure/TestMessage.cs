using System.Text;
using System.Text.Json.Nodes;

namespace Billing.Outbound.Tests.Infrastructure;

/// <summary>An <c>entitlements.changed</c> message as the fulfillment grain serializes it, with fresh ids.</summary>
public sealed record TestMessage(string Id, string Type, string CustomerId, byte[] Body)
{
    public string BodyText => Encoding.UTF8.GetString(Body);

    public static TestMessage EntitlementsChanged(long version = 7)
    {
        var customerId = $"cus_out_{Guid.NewGuid():N}"[..24];
        var id = $"{customerId}:{version}";
        var body = new JsonObject
        {
            ["id"] = id,
            ["type"] = "entitlements.changed",
            ["customer_id"] = customerId,
            ["created"] = 1763900000,
            ["data"] = new JsonObject
            {
                ["access"] = "ACTIVE",
                ["features"] = new JsonArray("reports", "exports"),
                ["version"] = version,
                ["previous"] = new JsonObject { ["access"] = "NONE", ["features"] = new JsonArray(), ["version"] = version - 1 },
            },
        };
        return new TestMessage(id, "entitlements.changed", customerId, Encoding.UTF8.GetBytes(body.ToJsonString()));
    }

    public Task<DeliveryOutcome> DeliverAsync(OutboundDelivery delivery, OutboundTarget target = OutboundTarget.Fulfillment,
        CancellationToken cancellationToken = default) =>
        delivery.DeliverAsync(target, Id, Type, CustomerId, Body, cancellationToken);
}
