using Orleans.Concurrency;

namespace Billing.Grains.Fanout;

/// <summary>
/// A consumer of one customer's journal effects (key = customer key): it remembers the journal version it has
/// delivered up to, and delivers everything after it once in effect, in journal order.
/// </summary>
public interface IFanoutConsumer : IGrainWithStringKey
{
    /// <summary>Reads what it has missed from the journal and delivers it (the sweeper calls this for laggards).</summary>
    Task CatchUpAsync();

    /// <summary>The journal version delivered up to (delivered or dead-lettered); 0 before the first.</summary>
    [ReadOnly]
    Task<long> GetDeliveredVersionAsync();
}
