using System.Text.Json;
using Billing.Grains.Customers;

namespace Billing.Grains.Fanout;

/// <summary>The bodies of outbound deliveries, exactly as the contract's "Outbound deliveries" section shows them.</summary>
public static class OutboundJson
{
    /// <summary>The contract's <c>type</c> of a notification kind.</summary>
    public static string TypeOf(NotificationKind kind) => kind switch
    {
        NotificationKind.PaymentFailed => "notification.payment_failed",
        NotificationKind.PaymentRecovered => "notification.payment_recovered",
        NotificationKind.AccessSuspended => "notification.access_suspended",
        NotificationKind.TrialWillEnd => "notification.trial_will_end",
        NotificationKind.SubscriptionCanceled => "notification.subscription_canceled",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>What a change means to a provisioning system.</summary>
    public static string ActionOf(EntitlementsChanged message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var had = HasAccess(message.Previous.Access);
        var has = HasAccess(message.Current.Access);
        return (had, has) switch
        {
            (false, true) => "provision",
            (true, false) => "deprovision",
            _ => "change",
        };

        static bool HasAccess(AccessState access) => access is AccessState.Active or AccessState.Grace;
    }

    /// <summary><c>entitlements.changed</c>.</summary>
    public static byte[] Serialize(EntitlementsChanged message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return Write(message.Id, "entitlements.changed", message.CustomerId, message.Created, writer =>
        {
            writer.WriteString("action", ActionOf(message));
            WriteSnapshot(writer, message.Current);
            writer.WriteStartObject("previous");
            WriteSnapshot(writer, message.Previous);
            writer.WriteEndObject();
        });
    }

    /// <summary><c>notification.*</c>: what a mailer needs, no card or address data.</summary>
    public static byte[] Serialize(CustomerNotification message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return Write(message.Id, TypeOf(message.Kind), message.CustomerId, message.Created, writer =>
        {
            if (message.Amount is { } amount)
            {
                writer.WriteNumber("amount", amount);
            }

            WriteIfPresent(writer, "currency", message.Currency);
            WriteIfPresent(writer, "hosted_invoice_url", message.HostedInvoiceUrl);
            WriteIfPresent(writer, "subscription_id", message.SubscriptionId);
            if (message.TrialEnd is { } trialEnd)
            {
                writer.WriteNumber("trial_end", trialEnd);
            }
        });
    }

    private static byte[] Write(string id, string type, string customerId, long created, Action<Utf8JsonWriter> writeData)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("id", id);
            writer.WriteString("type", type);
            writer.WriteString("customer_id", customerId);
            writer.WriteNumber("created", created);
            writer.WriteStartObject("data");
            writeData(writer);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void WriteSnapshot(Utf8JsonWriter writer, EntitlementsSnapshot snapshot)
    {
        writer.WriteString("access", snapshot.Access.ToString().ToUpperInvariant());
        writer.WriteStartArray("features");
        foreach (var feature in snapshot.Features)
        {
            writer.WriteStringValue(feature);
        }

        writer.WriteEndArray();
        writer.WriteNumber("version", snapshot.Version);
    }

    private static void WriteIfPresent(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }
}
