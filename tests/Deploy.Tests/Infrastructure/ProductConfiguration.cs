using System.Text.RegularExpressions;

namespace Billing.Deploy.Tests.Infrastructure;

/// <summary>
/// The configuration keys each process reads, as environment variable names (<c>Section__Key</c>). Derived from
/// the configuration tables of README.md and ../shared/CONTRACT.md and from the options classes the hosts bind
/// (Orleans, Stripe, Gateway, Billing sections). A key set in the manifests but not listed here is read by
/// nothing: a typo, or a setting the product does not have.
/// </summary>
internal static class ProductConfiguration
{
    /// <summary>
    /// .NET's host reads <c>HostOptions.ShutdownTimeout</c> from the host key <c>shutdownTimeoutSeconds</c>; with the
    /// <c>DOTNET_</c> prefix it comes from the environment (checked on .NET 10: <c>HostOptions__ShutdownTimeout</c>
    /// is not read). Its default is 30 s.
    /// </summary>
    public const string ShutdownTimeoutSeconds = "DOTNET_SHUTDOWNTIMEOUTSECONDS";

    /// <summary>.NET's default <c>HostOptions.ShutdownTimeout</c> in seconds.</summary>
    public const int DefaultShutdownTimeoutSeconds = 30;

    // Every long-running host: ServiceDefaults (logging, OpenTelemetry), the Orleans cluster identity, the store.
    private static readonly ConfigurationKey[] Hosts =
    [
        ConfigurationKey.Exact("ConnectionStrings:Billing"),
        ConfigurationKey.Exact("Orleans:ClusterId"),
        ConfigurationKey.Exact("Orleans:ServiceId"),
        ConfigurationKey.Exact("Logging:Format"),
        ConfigurationKey.Exact("OTEL_EXPORTER_OTLP_ENDPOINT"),
        ConfigurationKey.DotNetHost(ShutdownTimeoutSeconds),
    ];

    private static readonly ConfigurationKey[] Silo =
    [
        .. Hosts,
        ConfigurationKey.Exact("Orleans:SiloPort"),
        ConfigurationKey.Exact("Orleans:GatewayPort"),
        ConfigurationKey.Exact("Orleans:AdvertisedIP"),
        ConfigurationKey.Exact("Orleans:SiloName"),
        ConfigurationKey.Exact("Billing:Dunning:GracePeriod"),
        ConfigurationKey.Children("Billing:Catalog"),
        ConfigurationKey.Exact("Kestrel:Endpoints:Health:Url"),
        // Outbound deliveries of the fulfillment and notification grains (CONTRACT.md).
        ConfigurationKey.Array("Billing:Fulfillment:Endpoints"),
        ConfigurationKey.Array("Billing:Notifications:Endpoints"),
        ConfigurationKey.Exact("Billing:Outbound:SigningSecret"),
        // The delivery budget inside a consumer grain's turn, below the grain-call timeout; dead letters' retention
        // (README "Outbound deliveries"; the silos purge).
        ConfigurationKey.Exact("Billing:Outbound:TotalTimeout"),
        ConfigurationKey.Exact("Billing:Outbound:DeadLetterRetention"),
        ConfigurationKey.Exact("Orleans:Messaging:ResponseTimeout"),
        // Each customer's journal and its sweeper (README "Journal").
        ConfigurationKey.Exact("Billing:Journal:Retention"),
        ConfigurationKey.Exact("Billing:Journal:InMemory"),
        ConfigurationKey.Exact("Billing:Journal:MaxBatchRows"),
        ConfigurationKey.Exact("Billing:Journal:MaxBatchBytes"),
        ConfigurationKey.Exact("Billing:Journal:CommitTimeout"),
        ConfigurationKey.Exact("Billing:Journal:SnapshotEvery"),
        ConfigurationKey.Exact("Billing:Journal:SweepInterval"),
        ConfigurationKey.Exact("Billing:Journal:LagAfter"),
        ConfigurationKey.Exact("Billing:Journal:PruneInterval"),
        ConfigurationKey.Exact("Billing:Journal:PruneCustomersPerRun"),
        // Recovery from Stripe's API and the tie-break fetch (README "Recovery").
        ConfigurationKey.Exact("Stripe:ApiKey"),
        ConfigurationKey.Exact("Stripe:ApiBase"),
        ConfigurationKey.Exact("Stripe:Livemode"),
        ConfigurationKey.Array("Stripe:ConnectedAccounts"),
        ConfigurationKey.Exact("Stripe:Sync:PollInterval"),
        ConfigurationKey.Exact("Stripe:Sync:MaxRequestsPerSecond"),
        ConfigurationKey.Exact("Stripe:Sync:Overlap"),
        ConfigurationKey.Exact("Stripe:Sync:Window"),
        ConfigurationKey.Exact("Stripe:Sync:RequestTimeout"),
        ConfigurationKey.Exact("Stripe:Sync:MaxAttempts"),
        ConfigurationKey.Exact("Stripe:Sync:RetryDelay"),
        ConfigurationKey.Exact("Stripe:Sync:MaxRetryDelay"),
        ConfigurationKey.Exact("Stripe:Sync:StallDelay"),
        ConfigurationKey.Exact("Stripe:Sync:SchedulerInterval"),
        ConfigurationKey.Exact("Billing:Reconcile:Interval"),
        ConfigurationKey.Exact("Billing:Reconcile:MassDriftShare"),
        ConfigurationKey.Exact("Billing:Reconcile:MassDriftMinimum"),
        // The silo's feed of entitlement changes that gateways follow (README "Entitlements API").
        ConfigurationKey.Exact("Billing:EntitlementsFeed:HeartbeatInterval"),
        ConfigurationKey.Exact("Billing:EntitlementsFeed:BatchDelay"),
    ];

    private static readonly ConfigurationKey[] Gateway =
    [
        .. Hosts,
        ConfigurationKey.Array("Stripe:WebhookSecrets"),
        ConfigurationKey.Exact("Stripe:SignatureToleranceSeconds"),
        ConfigurationKey.Exact("Stripe:Livemode"),
        ConfigurationKey.Exact("Stripe:ApiKey"),
        ConfigurationKey.Exact("Stripe:ApiBase"),
        ConfigurationKey.Array("Gateway:ApiKeys"),
        // Operators' keys: the admin routes and the console (CONTRACT.md "Operator console and anomalies").
        ConfigurationKey.Array("Gateway:AdminApiKeys"),
        ConfigurationKey.Exact("Billing:Outbound:SigningSecret"),
        // The outbound options are validated in the gateway too (it replays dead letters): the same budget rule.
        ConfigurationKey.Exact("Billing:Outbound:TotalTimeout"),
        ConfigurationKey.Exact("Orleans:Messaging:ResponseTimeout"),
        ConfigurationKey.Exact("Kestrel:Endpoints:Webhooks:Url"),
        ConfigurationKey.Exact("Kestrel:Endpoints:Grpc:Url"),
        ConfigurationKey.Exact("Kestrel:Endpoints:Grpc:Protocols", documentedAs: "Kestrel:Endpoints:Grpc:Url"),
        ConfigurationKey.Exact("Kestrel:Endpoints:Admin:Url"),
        ConfigurationKey.Exact("Kestrel:Endpoints:Admin:Protocols", documentedAs: "Kestrel:Endpoints:Admin:Url"),
    ];

    // `migrate` builds a bare host and reads the connection string only.
    private static readonly ConfigurationKey[] Migrate = [ConfigurationKey.Exact("ConnectionStrings:Billing")];

    /// <summary>The keys the process of a component (<c>silo</c>, <c>gateway</c>, <c>migrate</c>) reads.</summary>
    public static IReadOnlyList<ConfigurationKey> ReadBy(string component) => component switch
    {
        "silo" => Silo,
        "gateway" => Gateway,
        "migrate" => Migrate,
        _ => [],
    };

    /// <summary>Every key of every component.</summary>
    public static IReadOnlyList<ConfigurationKey> All => [.. Silo.Concat(Gateway).Concat(Migrate).DistinctBy(k => k.Pattern.ToString())];
}

/// <summary>A configuration key (or family of keys) as environment variable names.</summary>
/// <param name="Documented">How README/CONTRACT write it (<c>Section:Key</c>); null for .NET's own host keys.</param>
/// <param name="Pattern">The environment variable names it covers.</param>
internal sealed record ConfigurationKey(string? Documented, Regex Pattern)
{
    /// <summary>One key: <c>Orleans:SiloPort</c> is the variable <c>Orleans__SiloPort</c>.</summary>
    public static ConfigurationKey Exact(string key, string? documentedAs = null) =>
        new(documentedAs ?? key, new Regex($"^{Regex.Escape(EnvironmentName(key))}$", RegexOptions.CultureInvariant));

    /// <summary>An array: <c>Stripe:WebhookSecrets</c> is <c>Stripe__WebhookSecrets__0</c>, <c>__1</c>, …</summary>
    public static ConfigurationKey Array(string key) =>
        new(key, new Regex($"^{Regex.Escape(EnvironmentName(key))}__[0-9]+$", RegexOptions.CultureInvariant));

    /// <summary>A section of named entries: <c>Billing:Catalog</c> covers <c>Billing__Catalog__price_pro</c>, ….</summary>
    public static ConfigurationKey Children(string key) =>
        new(key, new Regex($"^{Regex.Escape(EnvironmentName(key))}__.+$", RegexOptions.CultureInvariant));

    /// <summary>A setting of .NET's host itself (not the product's, so not in its documentation).</summary>
    public static ConfigurationKey DotNetHost(string environmentName) =>
        new(null, new Regex($"^{Regex.Escape(environmentName)}$", RegexOptions.CultureInvariant));

    /// <summary>True when the variable <paramref name="name"/> is this key.</summary>
    public bool Matches(string name) => Pattern.IsMatch(name);

    private static string EnvironmentName(string key) => key.Replace(":", "__", StringComparison.Ordinal);
}
