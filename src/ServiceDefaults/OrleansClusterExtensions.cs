using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Hosting;

namespace Billing.ServiceDefaults;

/// <summary>How silos and their clients find each other: the same settings on both sides.</summary>
public static class OrleansClusterExtensions
{
    /// <summary>The configuration section of the Orleans identity and ports (<c>Orleans:ClusterId</c>, …).</summary>
    public const string SectionName = "Orleans";

    /// <summary>The ADO.NET invariant of Npgsql.</summary>
    public const string NpgsqlInvariant = "Npgsql";

    /// <summary>The durable store of everything (<c>ConnectionStrings:Billing</c>), or null to run in memory.</summary>
    public static string? GetBillingConnectionString(this IConfiguration configuration) =>
        configuration.GetConnectionString("Billing") is { Length: > 0 } connectionString ? connectionString : null;

    /// <summary>The cluster identity from <c>Orleans:ClusterId</c> and <c>Orleans:ServiceId</c>.</summary>
    public static (string ClusterId, string ServiceId) GetBillingClusterIdentity(this IConfiguration configuration)
    {
        var section = configuration.GetSection(SectionName);
        return (section["ClusterId"] ?? "billing-dev", section["ServiceId"] ?? "billing");
    }

    /// <summary>Sets <see cref="ClusterOptions"/> from the configuration (after any default a builder set).</summary>
    public static IServiceCollection AddBillingClusterIdentity(this IServiceCollection services, IConfiguration configuration)
    {
        var (clusterId, serviceId) = configuration.GetBillingClusterIdentity();
        services.Configure<ClusterOptions>(options =>
        {
            options.ClusterId = clusterId;
            options.ServiceId = serviceId;
        });
        return services;
    }

    /// <summary>
    /// Points a client at the silos: ADO.NET membership on PostgreSQL when <c>ConnectionStrings:Billing</c> is set,
    /// otherwise the one local silo's gateway port.
    /// </summary>
    public static IClientBuilder UseBillingClustering(this IClientBuilder client, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (configuration.GetBillingConnectionString() is { } connectionString)
        {
            client.UseAdoNetClustering(options =>
            {
                options.Invariant = NpgsqlInvariant;
                options.ConnectionString = connectionString;
            });
        }
        else
        {
            var (clusterId, serviceId) = configuration.GetBillingClusterIdentity();
            client.UseLocalhostClustering(configuration.GetValue($"{SectionName}:GatewayPort", 30000), serviceId, clusterId);
        }

        // A call to a silo that died fails after 5 s instead of 30 s (the gateway then retries it or answers 503),
        // and the list of live gateways is re-read every 5 s instead of every 60 s; see docs/adr/0005.
        // Overridable with Orleans:Messaging:ResponseTimeout and Orleans:Gateway:GatewayListRefreshPeriod.
        var section = configuration.GetSection(SectionName);
        client.Services.AddOptions<ClientMessagingOptions>()
            .Configure(options => options.ResponseTimeout = TimeSpan.FromSeconds(5))
            .Bind(section.GetSection("Messaging"));
        client.Services.AddOptions<GatewayOptions>()
            .Configure(options => options.GatewayListRefreshPeriod = TimeSpan.FromSeconds(5))
            .Bind(section.GetSection("Gateway"));
        client.Services.AddBillingClusterIdentity(configuration);
        return client;
    }
}
