namespace Billing.Grains.Subscriptions;

/// <summary>Where the customer grain asks for a subscription's current status when events alone cannot tell.</summary>
public interface ISubscriptionStatusSource
{
    /// <summary>
    /// The subscription's status now, or null when it cannot be known (no API key configured, Stripe unreachable):
    /// the contract's status order decides then.
    /// </summary>
    /// <param name="subscriptionId">The subscription (<c>sub_…</c>).</param>
    /// <param name="account">The connected account (<c>acct_…</c>) for Connect customers, else null.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    Task<string?> GetStatusAsync(string subscriptionId, string? account, CancellationToken cancellationToken = default);
}
