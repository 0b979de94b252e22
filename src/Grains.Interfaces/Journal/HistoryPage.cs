
namespace Billing.Grains.Journal;

/// <summary>One page of a customer's history, oldest first.</summary>
/// <param name="Entries">The entries.</param>
/// <param name="NextAfterVersion">Where the next page starts (after this version); 0 when this is the last page.</param>
[GenerateSerializer]
[Immutable]
[Alias("billing.HistoryPage")]
public sealed record HistoryPage(
    [property: Id(0)] HistoryEntry[] Entries,
    [property: Id(1)] long NextAfterVersion);
