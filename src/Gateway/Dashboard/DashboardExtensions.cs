using Billing.Gateway.OperatorConsole;
using Billing.ServiceDefaults;
using Orleans.Dashboard;

// Beside GatewayApp, which puts the host together with this call.
namespace Billing.Gateway;

/// <summary>
/// The Orleans dashboard (Microsoft.Orleans.Dashboard) at <c>/console/orleans</c>, on the admin endpoint (the listener
/// rules keep <c>/console</c> off the others), behind the console's operator sign-in, with its grain-state view cut off.
/// </summary>
public static class DashboardExtensions
{
    /// <summary>Where the dashboard lives.</summary>
    public const string RoutePrefix = "/console/orleans";

    /// <summary>Maps the dashboard when <c>Billing:Dashboard:Enabled</c> is true.</summary>
    public static WebApplication MapBillingDashboard(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (!app.Configuration.IsDashboardEnabled())
        {
            return app;
        }

        // The dashboard can show any grain's serialized state: a customer's is personal data (subscriptions, dunning),
        // and no dashboard option turns that view off. Its JSON route answers 403 before the dashboard sees it.
        app.Use((context, next) =>
        {
            if (context.Request.Path.StartsWithSegments($"{RoutePrefix}/GrainState", StringComparison.OrdinalIgnoreCase))
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return context.Response.WriteAsync("The grain state view is off: grain state holds personal data.");
            }

            return next(context);
        });
        app.MapOrleansDashboard(RoutePrefix).RequireAuthorization(OperatorAuthentication.Policy);
        return app;
    }
}
