using System.Collections.Immutable;
using Billing.Grains.Customers;
using Billing.Grains.Fanout;

namespace Billing.Grains.Journal;

/// <summary>
/// What applying one journal entry decided, recorded with it: the entitlements after it, whether they changed, and
/// what the consumers must deliver because of it. Consumers and the history read only this, never the facts.
/// </summary>
/// <param name="Access">Access after the entry.</param>
/// <param name="Features">Features after the entry, sorted and distinct.</param>
/// <param name="Version">The entitlements' version after the entry (it grows only when access or features change).</param>
/// <param name="UpdatedAt">When access or features last changed, as of this entry.</param>
/// <param name="Changed">Whether access or features changed: fulfillment then delivers <c>entitlements.changed</c>.</param>
/// <param name="Previous">When <paramref name="Changed"/>: the entitlements before the entry.</param>
/// <param name="Notifications">What the notification consumer delivers because of the entry; null when nothing.</param>
/// <param name="CarriedOverFulfillment">
/// Only on the entry that carried a customer over from the previous storage schema: fulfillment messages its outbox
/// still held. Null otherwise.
/// </param>
[GenerateSerializer]
[Immutable]
[Alias("billing.JournalEffects")]
public sealed record JournalEffects(
    [property: Id(0)] AccessState Access,
    [property: Id(1)] ImmutableArray<string> Features,
    [property: Id(2)] long Version,
    [property: Id(3)] DateTimeOffset UpdatedAt,
    [property: Id(4)] bool Changed,
    [property: Id(5)] EntitlementsSnapshot? Previous = null,
    [property: Id(6)] IReadOnlyList<CustomerNotification>? Notifications = null,
    [property: Id(7)] IReadOnlyList<EntitlementsChanged>? CarriedOverFulfillment = null)
{
    /// <summary>Whether the fulfillment consumer has anything to deliver for this entry.</summary>
    public bool ForFulfillment => Changed || CarriedOverFulfillment is { Count: > 0 };

    /// <summary>Whether the notification consumer has anything to deliver for this entry.</summary>
    public bool ForNotifications => Notifications is { Count: > 0 };

    /// <summary>The entitlements after the entry, as the API answers them.</summary>
    public CustomerEntitlements Entitlements(string customerId) => new(customerId, Access, Features, Version, UpdatedAt);

    /// <summary>The entitlements after the entry, as fan-out messages carry them.</summary>
    public EntitlementsSnapshot Snapshot() => new(Access, Features, Version);
}
