using Billing.Grains.Journal;

namespace Billing.Journal;

/// <summary>What a customer grain reads when it activates: the entries after its snapshot, and the recent event ids.</summary>
/// <param name="After">The journal version the tail follows: the snapshot's, or 0 for the whole journal.</param>
/// <param name="Tail">The entries after <paramref name="After"/>, with their facts, oldest first.</param>
/// <param name="RecentEvents">Every entry's event id recorded since the dedupe window began, with when, oldest first.</param>
public sealed record CustomerJournal(long After, IReadOnlyList<JournalEntry> Tail, IReadOnlyList<RecentEvent> RecentEvents)
{
    /// <summary>A customer with no journal.</summary>
    public static CustomerJournal Empty { get; } = new(0, [], []);
}

/// <summary>An event id the customer's journal holds, and when it was recorded.</summary>
public readonly record struct RecentEvent(string EventId, DateTimeOffset RecordedAt);
