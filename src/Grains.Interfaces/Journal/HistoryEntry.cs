using Billing.Grains.Customers;

namespace Billing.Grains.Journal;

/// <summary>
/// A journal entry as the history shows it: what happened and the entitlements after it, without the facts and the
/// fan-out (a page of history is a hundred of these, read and sent often: plain arrays, which Orleans copies faster
/// than immutable ones).
/// </summary>
/// <param name="Version">The entry's place in the customer's journal.</param>
/// <param name="EventId">Stripe's event id, or Billing's own for timer transitions and imports.</param>
/// <param name="Type">The event type.</param>
/// <param name="Source">Where it came from.</param>
/// <param name="Created">Stripe's <c>created</c>, or when a timer transition was due.</param>
/// <param name="RecordedAt">When Billing applied it.</param>
/// <param name="Changed">Whether access or features changed.</param>
/// <param name="Access">Access after the entry.</param>
/// <param name="Features">Features after the entry.</param>
/// <param name="EntitlementsVersion">The entitlements' version after the entry.</param>
/// <param name="UpdatedAt">When access or features last changed, as of this entry.</param>
[GenerateSerializer]
[Immutable]
[Alias("billing.HistoryEntry")]
public sealed record HistoryEntry(
    [property: Id(0)] long Version,
    [property: Id(1)] string EventId,
    [property: Id(2)] string Type,
    [property: Id(3)] JournalSource Source,
    [property: Id(4)] DateTimeOffset? Created,
    [property: Id(5)] DateTimeOffset RecordedAt,
    [property: Id(6)] bool Changed,
    [property: Id(7)] AccessState Access,
    [property: Id(8)] string[] Features,
    [property: Id(9)] long EntitlementsVersion,
    [property: Id(10)] DateTimeOffset UpdatedAt)
{
    /// <summary>The entitlements after the entry, as the API answers them.</summary>
    public CustomerEntitlements Entitlements(string customerId) => new(customerId, Access, [.. Features], EntitlementsVersion, UpdatedAt);

    /// <summary>The history's view of a full entry.</summary>
    public static HistoryEntry Of(JournalEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var effects = entry.Effects;
        return new HistoryEntry(entry.Version, entry.EventId, entry.Type, entry.Source, entry.Created, entry.RecordedAt,
            effects.Changed, effects.Access, [.. effects.Features], effects.Version, effects.UpdatedAt);
    }
}
