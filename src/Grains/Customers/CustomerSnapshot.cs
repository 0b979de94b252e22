using System.Text.Json;
using System.Text.Json.Serialization;

namespace Billing.Grains.Customers;

/// <summary>
/// A customer's state as of one journal version, stored now and then (every <c>Billing:Journal:SnapshotEvery</c>
/// entries and when the grain deactivates) with Orleans' ADO.NET grain storage, so that an activation folds only the
/// journal's tail. Never the source of truth: a snapshot of another fold version is ignored and the journal folded again.
/// </summary>
public sealed class CustomerSnapshot
{
    /// <summary>The <see cref="CustomerFold.Version"/> that produced <see cref="State"/>; 0 for no snapshot.</summary>
    public int FoldVersion { get; set; }

    /// <summary>The journal version <see cref="State"/> is the fold of.</summary>
    public long JournalVersion { get; set; }

    /// <summary>The latest entry with something for the fulfillment consumer, as of <see cref="JournalVersion"/>.</summary>
    public long FulfillmentVersion { get; set; }

    /// <summary>The latest entry with something for the notification consumer, as of <see cref="JournalVersion"/>.</summary>
    public long NotificationVersion { get; set; }

    /// <summary>When the entry at <see cref="JournalVersion"/> was recorded (the next is never recorded earlier).</summary>
    public DateTimeOffset LastRecordedAt { get; set; }

    /// <summary>The fold's state.</summary>
    public CustomerState State { get; set; } = new();

    /// <summary>
    /// Event ids that a state row of an earlier version remembered (id → Unix seconds applied) and that are still within
    /// the dedupe window: the journal does not hold them. Null when there are none.
    /// </summary>
    public Dictionary<string, long>? LegacyEventIds { get; set; }

    /// <summary>
    /// Properties this class does not know. A state row written by an earlier version (before the journal) has all of
    /// its properties here, which is how <see cref="Upgrade.LegacyCustomerState"/> recognises one.
    /// </summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Unknown { get; set; }
}
