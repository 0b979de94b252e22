using Microsoft.Extensions.Configuration;
using Orleans.Dashboard;

namespace Billing.ServiceDefaults;

/// <summary>
/// The Orleans dashboard (Microsoft.Orleans.Dashboard): every silo collects its counters, and the gateway, an Orleans
/// client, serves the UI at <c>/console/orleans</c> behind the operator sign-in. Off unless
/// <c>Billing:Dashboard:Enabled=true</c> on silos and gateway (<c>./run.sh</c> turns it on): measured with the benchmark
/// it adds about half again to the silo's CPU per event even when nobody looks at it (README, "Performance").
/// </summary>
public static class OrleansDashboardExtensions
{
    /// <summary>The setting that turns the dashboard off.</summary>
    public const string EnabledKey = "Billing:Dashboard:Enabled";

    /// <summary>Whether the dashboard is on (off by default).</summary>
    public static bool IsDashboardEnabled(this IConfiguration configuration) => configuration.GetValue(EnabledKey, defaultValue: false);

    /// <summary>Adds the dashboard's per-silo collection when it is on.</summary>
    public static ISiloBuilder AddBillingDashboard(this ISiloBuilder silo, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(silo);
        return configuration.IsDashboardEnabled() ? silo.AddDashboard(Configure) : silo;
    }

    /// <summary>Adds the dashboard's services to a client that serves its UI, when it is on.</summary>
    public static IClientBuilder AddBillingDashboard(this IClientBuilder client, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(client);
        return configuration.IsDashboardEnabled() ? client.AddDashboard(Configure) : client;
    }

    // The live log stream would show operators every log line of every silo: ids of customers included, and nothing
    // there that the traces and logs do not already give, where access is governed. Off.
    private static void Configure(DashboardOptions options) => options.HideTrace = true;
}
