using Billing.Grains.Journal;

namespace Billing.Grains.Fanout;

/// <summary>
/// What the customer grain publishes to a consumer's stream after a journal entry is stored: the entry's effects,
/// and which earlier entry was the last one for this consumer, so that a consumer that missed one (a stream loses
/// in-flight items when a silo dies) sees the gap and reads it from the journal.
/// </summary>
/// <param name="CustomerId">The customer.</param>
/// <param name="Version">The journal entry's version.</param>
/// <param name="PreviousVersion">The version of the customer's previous entry with something for this consumer; 0 if none.</param>
/// <param name="RecordedAt">When the entry was applied.</param>
/// <param name="Effects">What the entry decided.</param>
[GenerateSerializer]
[Immutable]
[Alias("billing.FanoutItem")]
public sealed record FanoutItem(
    [property: Id(0)] string CustomerId,
    [property: Id(1)] long Version,
    [property: Id(2)] long PreviousVersion,
    [property: Id(3)] DateTimeOffset RecordedAt,
    [property: Id(4)] JournalEffects Effects)
{
    /// <summary>The item of a stored journal entry.</summary>
    public static FanoutItem Of(JournalEntry entry, long previousVersion)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return new FanoutItem(entry.CustomerId, entry.Version, previousVersion, entry.RecordedAt, entry.Effects);
    }
}
