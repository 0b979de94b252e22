namespace Billing.Recovery;

/// <summary>The part of the <c>Stripe</c> configuration section the silo uses: access to Stripe's API.</summary>
public sealed class StripeApiOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Stripe";

    /// <summary>A restricted key that may read subscriptions, customers, events and entitlements; unset: nothing is fetched.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Base URL of Stripe's API (tests point it at a local stub); unset: Stripe's.</summary>
    public Uri? ApiBase { get; set; }

    /// <summary>When set, events of the other mode read from the Events API change nothing (as for webhooks).</summary>
    public bool? Livemode { get; set; }

    /// <summary>Connected accounts (<c>acct_…</c>) that recovery and reconciliation read besides the platform account.</summary>
    public string[] ConnectedAccounts { get; set; } = [];

    /// <summary>Whether Stripe's API may be called at all.</summary>
    public bool Configured => ApiKey is { Length: > 0 };

    /// <summary>The platform account (null) and each connected account, in that order.</summary>
    public IReadOnlyList<string?> Accounts => [null, .. ConnectedAccounts.Where(a => a.Length > 0).Distinct(StringComparer.Ordinal)];
}
