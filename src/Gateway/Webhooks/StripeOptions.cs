namespace Billing.Gateway.Webhooks;

/// <summary>The <c>Stripe</c> configuration section.</summary>
public sealed class StripeOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Stripe";

    /// <summary>Webhook signing secrets (<c>whsec_…</c>); a signature matching any of them is accepted (rotation).</summary>
    public string[] WebhookSecrets { get; set; } = [];

    /// <summary>How far a signature's timestamp may be from now, in seconds (past or future).</summary>
    public int SignatureToleranceSeconds { get; set; } = 300;

    /// <summary>Optional Stripe API key, to re-fetch objects.</summary>
    public string? ApiKey { get; set; }

    /// <summary>When set, events of the other mode are acknowledged as <c>ignored</c> and change nothing.</summary>
    public bool? Livemode { get; set; }

    /// <summary>Base URL of Stripe's API (tests point it at a local stub).</summary>
    public Uri? ApiBase { get; set; }
}
