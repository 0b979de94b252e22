namespace Billing.Bench.LoadGenerator.Webhooks;

/// <summary>A webhook target: where it listens, how its result is checked, its database, and its processes.</summary>
/// <param name="Name">product, product-memory or baseline: the name in tables and results.</param>
/// <param name="Url">The webhook endpoint.</param>
/// <param name="Kind">How its state is checked after the load.</param>
/// <param name="GrpcUrl">The gRPC endpoint the product's check reads (none: no check).</param>
/// <param name="Database">Its database's connection string (none: no transactions per event).</param>
/// <param name="Roles">The processes that do its work (see <see cref="BenchOptions.Pids"/>).</param>
internal sealed record WebhookTarget(string Name, Uri Url, WebhookTargetKind Kind, Uri? GrpcUrl, string? Database, IReadOnlyList<string> Roles)
{
    /// <summary>The name of the product whose silo keeps the journal in memory.</summary>
    public const string ProductMemory = "product-memory";

    /// <summary>The targets given, in the order they are driven: product, product with an in-memory journal, baseline.</summary>
    public static List<WebhookTarget> From(BenchOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var targets = new List<WebhookTarget>(3);
        if (options.ProductUrl is { } product)
        {
            targets.Add(new("product", product, WebhookTargetKind.Product, options.ProductGrpcUrl, options.ProductDb, ["gateway", "silo", "postgres"]));
        }

        if (options.ProductMemoryUrl is { } memory)
        {
            targets.Add(new(ProductMemory, memory, WebhookTargetKind.Product, options.ProductMemoryGrpcUrl, options.ProductMemoryDb,
                ["gateway-mem", "silo-mem", "postgres"]));
        }

        if (options.BaselineUrl is { } baseline)
        {
            targets.Add(new("baseline", baseline, WebhookTargetKind.Baseline, null, options.BaselineDb, ["baseline", "postgres"]));
        }

        return targets;
    }
}
