namespace Billing.Grains;

/// <summary>The <c>Billing</c> configuration section: how events become entitlements.</summary>
public sealed class BillingOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Billing";

    /// <summary>
    /// The plan catalog: a price id, price <c>lookup_key</c> or product id mapped to the features it grants,
    /// e.g. <c>"Billing:Catalog:price_pro:0" = "reports"</c>.
    /// </summary>
    public Dictionary<string, string[]> Catalog { get; init; } = new(StringComparer.Ordinal);

    /// <summary>Dunning: what happens after a failed payment.</summary>
    public DunningOptions Dunning { get; init; } = new();

    /// <summary>Checks the options at start-up; returns what is wrong, or nothing.</summary>
    public IEnumerable<string> Validate()
    {
        if (Dunning.GracePeriod <= TimeSpan.Zero)
        {
            yield return "Billing:Dunning:GracePeriod must be positive (e.g. 3.00:00:00).";
        }

        foreach (var (key, features) in Catalog)
        {
            if (features is null || features.Length == 0 || features.Any(string.IsNullOrWhiteSpace))
            {
                yield return $"Billing:Catalog:{key} must list at least one feature, none of them empty.";
            }
        }
    }
}
