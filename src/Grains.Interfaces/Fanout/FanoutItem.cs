using System.Diagnostics;
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
/// <param name="TraceParent">
/// The W3C <c>traceparent</c> of the span that published the item (the customer grain's call that applied the entry,
/// in the webhook's trace); null when nothing traced it. The consumer's <c>billing.fanout.deliver</c> span is its child,
/// so the outbound POST lands in the webhook's trace rather than in the stream agent's.
/// </param>
[GenerateSerializer]
[Immutable]
[Alias("billing.FanoutItem")]
public sealed record FanoutItem(
    [property: Id(0)] string CustomerId,
    [property: Id(1)] long Version,
    [property: Id(2)] long PreviousVersion,
    [property: Id(3)] DateTimeOffset RecordedAt,
    [property: Id(4)] JournalEffects Effects,
    [property: Id(5)] string? TraceParent = null)
{
    /// <summary>
    /// The item of a stored journal entry, carrying the trace context current where it is made (the publisher's span;
    /// none when nothing is traced).
    /// </summary>
    public static FanoutItem Of(JournalEntry entry, long previousVersion)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return new FanoutItem(entry.CustomerId, entry.Version, previousVersion, entry.RecordedAt, entry.Effects, CurrentTraceParent());
    }

    private static string? CurrentTraceParent() =>
        Activity.Current is { IdFormat: ActivityIdFormat.W3C } current ? current.Id : null;
}
