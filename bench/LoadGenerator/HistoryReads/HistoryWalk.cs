using Billing.V1;

namespace Billing.Bench.LoadGenerator.HistoryReads;

/// <summary>
/// A customer's whole history read page by page: every page token the server issued (the first page's is empty), and
/// every entry in order, to pick pages and instants from and to check answers against.
/// </summary>
internal sealed class HistoryWalk
{
    private HistoryWalk(List<string> pageTokens, List<WalkedEntry> entries)
    {
        PageTokens = pageTokens;
        Entries = entries;
    }

    /// <summary>One token per page, the first page's (empty) included.</summary>
    public IReadOnlyList<string> PageTokens { get; }

    /// <summary>The entries, oldest first (by journal version; their recorded times never run backwards).</summary>
    public IReadOnlyList<WalkedEntry> Entries { get; }

    /// <summary>Reads every page of <paramref name="customerId"/>'s history, <paramref name="pageSize"/> entries each.</summary>
    public static async Task<HistoryWalk> ReadAsync(V1.History.HistoryClient client, string customerId, int pageSize, int expectedEntries,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var tokens = new List<string>();
        var entries = new List<WalkedEntry>(expectedEntries);
        // A bound in case the server kept issuing tokens: twice the pages the history should have.
        var maxPages = (2 * expectedEntries / pageSize) + 10;
        var token = string.Empty;
        do
        {
            tokens.Add(token);
            var page = await client.ListCustomerEventsAsync(new ListCustomerEventsRequest
            {
                CustomerId = customerId,
                PageSize = pageSize,
                PageToken = token,
            }, cancellationToken: cancellationToken);
            entries.AddRange(page.Events.Select(e => new WalkedEntry(e.EventId, e.RecordedAt.ToDateTimeOffset(), e.EntitlementsAfter.Access,
                [.. e.EntitlementsAfter.Features], e.EntitlementsAfter.Version)));
            token = page.NextPageToken;
        }
        while (token.Length > 0 && tokens.Count < maxPages);

        return new HistoryWalk(tokens, entries);
    }

    /// <summary>The entry in force at <paramref name="instant"/>: the last one recorded at or before it (null: none yet).</summary>
    public WalkedEntry? At(DateTimeOffset instant)
    {
        int low = 0, high = Entries.Count - 1, found = -1;
        while (low <= high)
        {
            var middle = low + ((high - low) / 2);
            if (Entries[middle].RecordedAt <= instant)
            {
                found = middle;
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        return found < 0 ? null : Entries[found];
    }
}
