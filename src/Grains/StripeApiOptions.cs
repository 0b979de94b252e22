namespace Billing.Grains;

/// <summary>The part of the <c>Stripe</c> configuration section the silo uses: access to Stripe's API.</summary>
public sealed class StripeApiOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Stripe";

    /// <summary>A restricted key that may read subscriptions; unset: nothing is fetched from Stripe.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Base URL of Stripe's API (tests point it at a local stub); unset: Stripe's.</summary>
    public Uri? ApiBase { get; set; }
}
