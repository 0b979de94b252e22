using Orleans.Concurrency;

namespace Billing.Grains.Risk;

/// <summary>Operators' reads of the at-risk index: any silo answers from the store.</summary>
[StatelessWorker]
public sealed class RiskQueriesGrain(IRiskIndex index, TimeProvider time) : Grain, IRiskQueriesGrain
{
    /// <inheritdoc/>
    public async Task<AtRiskPage> ListAtRiskAsync(int limit, string? cursor)
    {
        if (limit is < 1 or > RiskCursor.MaxLimit)
        {
            throw new ArgumentOutOfRangeException(nameof(limit), limit, $"limit must be between 1 and {RiskCursor.MaxLimit}");
        }

        RiskCursor? after = null;
        if (cursor is { Length: > 0 })
        {
            after = RiskCursor.Decode(cursor) ?? throw new ArgumentException("the cursor was not issued by this server", nameof(cursor));
        }

        return await index.ListAsync(limit, after, time.GetUtcNow());
    }
}
