namespace Billing.Grains.Risk;

/// <summary>Operators' reads of the at-risk index: any silo answers from the index store.</summary>
public interface IRiskQueriesGrain : IGrainWithIntegerKey
{
    /// <summary>A page of customers with a score above 0 or a scheduled cancellation, highest score first, then most recent change.</summary>
    /// <param name="limit">How many customers, 1 to <see cref="RiskCursor.MaxLimit"/>.</param>
    /// <param name="cursor">The previous page's <see cref="AtRiskPage.NextCursor"/>; null or empty for the first page.</param>
    /// <exception cref="ArgumentException">The limit is out of range or the cursor was not issued by <see cref="RiskCursor"/>.</exception>
    [Orleans.Concurrency.ReadOnly]
    Task<AtRiskPage> ListAtRiskAsync(int limit, string? cursor);
}
