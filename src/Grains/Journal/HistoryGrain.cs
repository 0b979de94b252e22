using Billing.Grains.Customers;
using Billing.Journal;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;

namespace Billing.Grains.Journal;

/// <summary>Reads customers' journals for the history API and <c>as_of</c> answers, on any silo.</summary>
[StatelessWorker]
public sealed class HistoryGrain(IJournalStore journal, IOptions<JournalOptions> options, TimeProvider time) : Grain, IHistoryGrain
{
    /// <inheritdoc/>
    public async Task<HistoryPage> ListAsync(string customerId, long afterVersion, int pageSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        var entries = await journal.ListAsync(customerId, afterVersion, pageSize + 1);
        var page = entries.Take(pageSize).ToArray();
        return new HistoryPage(page, entries.Count > pageSize ? page[^1].Version : 0);
    }

    /// <inheritdoc/>
    public async Task<AsOfAnswer> GetEntitlementsAsOfAsync(string customerId, DateTimeOffset instant)
    {
        if (instant < time.GetUtcNow() - options.Value.EffectiveRetention)
        {
            return new AsOfAnswer(null, OutOfRange: true);
        }

        var entry = await journal.LatestAtAsync(customerId, instant);
        return new AsOfAnswer(
            entry?.Entitlements(customerId) ?? new CustomerEntitlements(customerId, AccessState.None, [], 0, DateTimeOffset.UnixEpoch),
            OutOfRange: false);
    }
}
