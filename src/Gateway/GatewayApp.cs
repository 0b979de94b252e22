using Billing.Gateway.Extensions;
using Billing.Gateway.Grpc;
using Billing.Gateway.History;
using Billing.Gateway.Webhooks;
using Billing.ServiceDefaults;

namespace Billing.Gateway;

/// <summary>Builds the gateway: one place, so tests host exactly what production runs.</summary>
public static class GatewayApp
{
    /// <summary>Builds the gateway application; <paramref name="configure"/> lets tests adjust the builder.</summary>
    public static WebApplication Create(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        builder.AddServiceDefaults("billing-gateway");
        builder.AddGatewayServices();
        builder.TagGatewayListeners();

        var app = builder.Build();
        app.UseGatewayListenerRules();
        app.MapWebhookApi();
        app.MapAdminApi();
        app.MapConsole();
        app.MapBillingDashboard();
        app.MapGrpcService<EntitlementsService>();
        app.MapGrpcService<HistoryService>();
        app.MapGrpcHealthChecksService();
        app.MapGrpcReflectionService();
        app.MapHealthEndpoints();
        return app;
    }
}
