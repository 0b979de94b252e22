using Billing.Grains.Journal;

namespace Billing.Journal;

/// <summary>What a customer grain reads when it activates: the entries after its snapshot, and the recent event ids.</summary>
/// <param name="Tail">The entries after the snapshot's version, with their facts, oldest first.</param>
/// <param name="RecentEvents">Every entry's event id recorded since the dedupe window began, with when, oldest first.</param>
public sealed record CustomerJournal(IReadOnlyList<JournalEntry> Tail, IReadOnlyList<RecentEvent> RecentEvents);

/// <summary>An event id the customer's journal holds, and when it was recorded.</summary>
public readonly record struct RecentEvent(string EventId, DateTimeOffset RecordedAt);
