using System.Net.Http.Json;
using Billing.Bench.LoadGenerator.Webhooks;

namespace Billing.Bench.LoadGenerator.Consistency;

/// <summary>
/// The baseline keeps one row per event id: after every level's load it must hold exactly the events acknowledged
/// (the levels' event ids never overlap, so their counts add up).
/// </summary>
internal static class BaselineConsistencyCheck
{
    public static async Task<ConsistencyResult> RunAsync(Uri baselineUrl, IReadOnlyList<DeliveryLedger> ledgers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ledgers);
        using var http = new HttpClient { BaseAddress = baselineUrl };
        var expected = ledgers.Sum(ledger => ledger.AcknowledgedEvents.Count);
        var unknown = ledgers.Sum(ledger => ledger.Unacknowledged().Count);
        var scope = ledgers.Count == 1 ? "its load" : $"all {ledgers.Count} loads";
        long rows;
        try
        {
            rows = (await http.GetFromJsonAsync<EventCountAnswer>("/events/count", cancellationToken))?.Count ?? -1;
        }
        catch (HttpRequestException exception)
        {
            return new ConsistencyResult("baseline", scope, "rows in naive_stripe_events (unreachable)", expected, 0, unknown,
                [new Mismatch("(all)", expected, $"{expected} rows", [], "?", [], exception.Message)]);
        }

        // A row of an event never acknowledged is possible (stored, answer lost): only those may exceed the count.
        var ok = rows >= expected && rows <= expected + unknown;
        return new ConsistencyResult("baseline", scope, "rows in naive_stripe_events vs distinct acknowledged event ids", expected,
            ok ? expected : 0, unknown,
            ok ? [] : [new Mismatch("(all)", expected, $"{expected} rows", [], $"{rows} rows", [], null)]);
    }

    private sealed record EventCountAnswer(long Count);
}
