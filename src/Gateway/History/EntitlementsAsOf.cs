using Billing.Grains.Customers;
using Billing.Grains.Journal;

namespace Billing.Gateway.History;

/// <summary>
/// "What could this customer use at that instant?", from the journal, never the near-cache: behind the gRPC
/// <c>as_of</c> and the console's as-of form alike.
/// </summary>
public sealed class EntitlementsAsOf(IClusterClient cluster, TimeProvider time)
{
    /// <summary>The answer at <paramref name="instant"/>, or why there is none.</summary>
    public async Task<AsOfResult> GetAsync(string customerId, DateTimeOffset instant)
    {
        if (instant > time.GetUtcNow())
        {
            return new AsOfResult(null, AsOfProblem.InTheFuture);
        }

        var answer = await cluster.GetHistory().GetEntitlementsAsOfAsync(customerId, instant);
        return answer.Entitlements is { } entitlements
            ? new AsOfResult(entitlements, AsOfProblem.None)
            : new AsOfResult(null, AsOfProblem.OlderThanHistory);
    }
}

/// <summary>An as-of answer: the entitlements then, or the <see cref="Problem"/> that prevents one.</summary>
public sealed record AsOfResult(CustomerEntitlements? Entitlements, AsOfProblem Problem);

/// <summary>Why an instant has no answer.</summary>
public enum AsOfProblem
{
    /// <summary>There is an answer.</summary>
    None,

    /// <summary>The instant has not happened yet.</summary>
    InTheFuture,

    /// <summary>The instant is older than the history kept (<c>Billing:Journal:Retention</c>).</summary>
    OlderThanHistory,
}
