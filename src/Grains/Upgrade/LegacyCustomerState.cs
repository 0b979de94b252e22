using System.Text.Json;
using Billing.Grains.Customers;
using Billing.Grains.Fanout;

namespace Billing.Grains.Upgrade;

/// <summary>
/// A customer's state row as versions before the journal stored it (Orleans grain storage, state name
/// <c>customer</c>): the fold's state (the same properties <see cref="CustomerState"/> has, at the top of the row), the
/// event ids applied in the last 30 days, and the outbox. Read only to carry customers over (<see cref="LegacyCarryOver"/>).
/// </summary>
/// <param name="State">The fold's state as that row held it.</param>
/// <param name="AppliedEvents">Event ids applied, with when (Unix seconds).</param>
/// <param name="PendingFulfillment">Fulfillment messages the outbox had not had acknowledged.</param>
/// <param name="PendingNotifications">Notifications the outbox had not had acknowledged.</param>
public sealed record LegacyCustomerState(
    CustomerState State,
    IReadOnlyDictionary<string, long> AppliedEvents,
    IReadOnlyList<EntitlementsChanged> PendingFulfillment,
    IReadOnlyList<CustomerNotification> PendingNotifications)
{
    /// <summary>
    /// The legacy state a snapshot read from a legacy row holds (its properties all land in
    /// <see cref="CustomerSnapshot.Unknown"/>), or null when the snapshot is not a legacy row.
    /// </summary>
    public static LegacyCustomerState? From(CustomerSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return snapshot.FoldVersion == 0 && snapshot.Unknown is { } unknown && unknown.ContainsKey(nameof(AppliedEvents))
            ? From(JsonSerializer.SerializeToElement(unknown))
            : null;
    }

    /// <summary>The legacy state in a state row's payload, or null when the payload is not a legacy row.</summary>
    public static LegacyCustomerState? FromPayload(ReadOnlySpan<byte> utf8Json) =>
        JsonSerializer.Deserialize<CustomerSnapshot>(utf8Json) is { } snapshot ? From(snapshot) : null;

    // Orleans' System.Text.Json storage serializer writes plain JSON (PascalCase, no reference metadata): the row reads
    // as a CustomerState (its own properties) and as the outbox (the others), with default options.
    private static LegacyCustomerState From(JsonElement row)
    {
        var state = row.Deserialize<CustomerState>() ?? new CustomerState();
        var outbox = row.Deserialize<Outbox>() ?? new Outbox();
        return new LegacyCustomerState(state, outbox.AppliedEvents, outbox.PendingFulfillment, outbox.PendingNotifications);
    }

    private sealed class Outbox
    {
        public Dictionary<string, long> AppliedEvents { get; set; } = new(StringComparer.Ordinal);

        public List<EntitlementsChanged> PendingFulfillment { get; set; } = [];

        public List<CustomerNotification> PendingNotifications { get; set; } = [];
    }
}
