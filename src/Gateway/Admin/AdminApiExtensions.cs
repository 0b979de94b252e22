using Billing.Gateway.Admin;
using Billing.Outbound;

// Beside GatewayApp and the gateway's Extensions, which put the host together with these two calls.
namespace Billing.Gateway;

/// <summary>Wires the admin API into the gateway.</summary>
public static class AdminApiExtensions
{
    /// <summary>
    /// What the admin routes need: outbound deliveries (replays sign with <c>Billing:Outbound:SigningSecret</c>) and the
    /// dead-letter store (PostgreSQL from <c>ConnectionStrings:Billing</c>), and the queries the admin routes and the console share.
    /// </summary>
    public static IHostApplicationBuilder AddAdminApi(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddOutbound();
        builder.Services.AddSingleton<DeadLetterOperations>();
        builder.Services.AddSingleton<CustomerQueries>();
        builder.Services.AddSingleton<RecoveryQueries>();
        builder.Services.AddSingleton<History.EntitlementsAsOf>();
        return builder;
    }

    /// <summary>
    /// Maps the <c>/admin</c> routes (see <see cref="AdminApi"/>, <see cref="CustomersApi"/>, <see cref="AtRiskApi"/>,
    /// <see cref="RecoveryApi"/> and <see cref="AnomaliesApi"/>).
    /// </summary>
    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder routes) =>
        AdminApi.MapAdminRoutes(routes).MapCustomersApi().MapAtRiskApi().MapRecoveryApi().MapAnomaliesApi();
}
