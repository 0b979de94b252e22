using System.Text.Json;
using Billing.Grains.Customers;
using Billing.Grains.Fanout;
using Billing.Grains.Subscriptions;

namespace Billing.Grains.Upgrade;

/// <summary>
/// A customer's state row as versions before the journal stored it (Orleans grain storage, state name
/// <c>customer</c>): the fold's state, the event ids applied in the last 30 days, and the outbox. Read only to carry
/// customers over (<see cref="LegacyCarryOver"/>).
/// </summary>
public sealed class LegacyCustomerState
{
    /// <summary>Event ids applied, with when (Unix seconds).</summary>
    public Dictionary<string, long> AppliedEvents { get; set; } = new(StringComparer.Ordinal);

    /// <summary>As in <see cref="CustomerState"/>.</summary>
    public Dictionary<string, SubscriptionRecord> Subscriptions { get; set; } = new(StringComparer.Ordinal);

    /// <summary>As in <see cref="CustomerState"/>.</summary>
    public DunningRecord Dunning { get; set; } = new();

    /// <summary>As in <see cref="CustomerState"/>.</summary>
    public EntitlementSummaryRecord? EntitlementSummary { get; set; }

    /// <summary>As in <see cref="CustomerState"/>.</summary>
    public bool Deleted { get; set; }

    /// <summary>As in <see cref="CustomerState"/>.</summary>
    public AccessState Access { get; set; } = AccessState.None;

    /// <summary>As in <see cref="CustomerState"/>.</summary>
    public List<string> Features { get; set; } = [];

    /// <summary>As in <see cref="CustomerState"/>.</summary>
    public DateTimeOffset? GraceEndsAt { get; set; }

    /// <summary>As in <see cref="CustomerState"/>.</summary>
    public long Version { get; set; }

    /// <summary>As in <see cref="CustomerState"/>.</summary>
    public DateTimeOffset UpdatedAt { get; set; } = DateTimeOffset.UnixEpoch;

    /// <summary>Fulfillment messages not yet acknowledged.</summary>
    public List<EntitlementsChanged> PendingFulfillment { get; set; } = [];

    /// <summary>Notifications not yet acknowledged.</summary>
    public List<CustomerNotification> PendingNotifications { get; set; } = [];

    /// <summary>Whether a redelivery reminder was registered (the journal's sweeper replaces it).</summary>
    public bool OutboxReminderRegistered { get; set; }

    /// <summary>
    /// The legacy state a snapshot read from a legacy row holds (its properties all land in
    /// <see cref="CustomerSnapshot.Unknown"/>), or null when the snapshot is not a legacy row. Orleans' System.Text.Json
    /// storage serializer writes plain JSON (PascalCase, no reference metadata), so default options read it back.
    /// </summary>
    public static LegacyCustomerState? From(CustomerSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (snapshot.FoldVersion != 0 || snapshot.Unknown is not { } unknown || !unknown.ContainsKey(nameof(AppliedEvents)))
        {
            return null;
        }

        return JsonSerializer.Deserialize<LegacyCustomerState>(JsonSerializer.SerializeToElement(unknown));
    }

    /// <summary>The legacy state in a state row's payload, or null when the payload is not a legacy row.</summary>
    public static LegacyCustomerState? FromPayload(ReadOnlySpan<byte> utf8Json) =>
        JsonSerializer.Deserialize<CustomerSnapshot>(utf8Json) is { } snapshot ? From(snapshot) : null;
}
