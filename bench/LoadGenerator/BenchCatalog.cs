using System.Collections.Frozen;

namespace Billing.Bench.LoadGenerator;

/// <summary>
/// The plan catalog of the benchmark: the price ids the generated subscriptions bill, and the features the product
/// must grant for each. The silo gets the same map through <see cref="PrintEnvironment"/>.
/// </summary>
internal static class BenchCatalog
{
    /// <summary>Features by price id.</summary>
    public static FrozenDictionary<string, string[]> Features { get; } = new Dictionary<string, string[]>
    {
        ["price_basic"] = ["reports"],
        ["price_pro"] = ["exports", "reports"],
        ["price_team"] = ["exports", "reports", "sso"],
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The price ids, in a fixed order (the generator picks from them by index).</summary>
    public static string[] PriceIds { get; } = ["price_basic", "price_pro", "price_team"];

    /// <summary>The feature the entitlement-read benchmark checks.</summary>
    public const string CheckedFeature = "reports";

    /// <summary>Prints <c>Billing__Catalog__{price}__{i}={feature}</c> lines for the silo's environment.</summary>
    public static int PrintEnvironment()
    {
        foreach (var priceId in PriceIds)
        {
            var features = Features[priceId];
            for (var i = 0; i < features.Length; i++)
            {
                Console.WriteLine($"Billing__Catalog__{priceId}__{i}={features[i]}");
            }
        }

        return 0;
    }
}
