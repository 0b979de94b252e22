using Billing.Grains.Customers;
using Orleans.Concurrency;

namespace Billing.Grains.Journal;

/// <summary>
/// Reads customers' journals for the history API and <c>as_of</c> answers. A stateless worker: reads do not go
/// through (or wake) the customer's grain, so a long history query never holds up that customer's webhooks.
/// </summary>
public interface IHistoryGrain : IGrainWithIntegerKey
{
    /// <summary>Up to <paramref name="pageSize"/> entries of the customer's journal after <paramref name="afterVersion"/>, oldest first.</summary>
    Task<HistoryPage> ListAsync(string customerId, long afterVersion, int pageSize);

    /// <summary>
    /// The entitlements after every entry recorded at or before <paramref name="instant"/>; <c>NONE</c>, version 0,
    /// before the customer's first entry.
    /// </summary>
    Task<AsOfAnswer> GetEntitlementsAsOfAsync(string customerId, DateTimeOffset instant);
}

/// <summary>Where callers find the history reader.</summary>
public static class HistoryGrainExtensions
{
    /// <summary>The history reader (a stateless worker: any silo serves it).</summary>
    public static IHistoryGrain GetHistory(this IGrainFactory grains)
    {
        ArgumentNullException.ThrowIfNull(grains);
        return grains.GetGrain<IHistoryGrain>(0);
    }
}
