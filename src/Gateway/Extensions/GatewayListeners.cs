using Microsoft.AspNetCore.Connections;

namespace Billing.Gateway.Extensions;

/// <summary>The gateway's Kestrel endpoints (<c>Kestrel:Endpoints:{name}</c>), by what each serves.</summary>
public enum GatewayListener
{
    /// <summary>A listener configured under another name (e.g. <c>--urls</c>): treated as public.</summary>
    Other = 0,

    /// <summary><c>Webhooks</c>, the one exposed to the internet: the webhook and the probes only.</summary>
    Webhooks = 1,

    /// <summary><c>Grpc</c>: the internal gRPC API.</summary>
    Grpc = 2,

    /// <summary><c>Admin</c>: admin routes, the console and the Orleans dashboard.</summary>
    Admin = 3,
}

/// <summary>
/// Tags each connection with the endpoint it arrived on and keeps the admin surface off every other one. The tag is
/// set by Kestrel per listening socket, so a client cannot forge it the way it could a <c>Host</c> header (which is
/// what <c>RequireHost</c> matches).
/// </summary>
public static class GatewayListeners
{
    /// <summary>The paths of the admin surface: never served on the public or gRPC endpoints.</summary>
    private static readonly string[] AdminPaths = ["/admin", "/console"];

    /// <summary>What the webhook endpoint serves.</summary>
    private static readonly string[] WebhookPaths = ["/stripe/webhook", "/healthz", "/readyz"];

    /// <summary>Tags connections of the named endpoints in <c>Kestrel:Endpoints</c>.</summary>
    public static WebApplicationBuilder TagGatewayListeners(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.WebHost.ConfigureKestrel((context, kestrel) =>
        {
            // Replaces the loader the web host defaults made from the same section, adding a tag per named endpoint;
            // a name missing from configuration is simply not listened on.
            var loader = kestrel.Configure(context.Configuration.GetSection("Kestrel"), reloadOnChange: true);
            foreach (var listener in new[] { GatewayListener.Webhooks, GatewayListener.Grpc, GatewayListener.Admin })
            {
                var tag = new ListenerFeature(listener);
                loader.Endpoint(listener.ToString(), endpoint => endpoint.ListenOptions.Use(next => connection =>
                {
                    connection.Features.Set<IGatewayListenerFeature>(tag);
                    return next(connection);
                }));
            }
        });
        return builder;
    }

    /// <summary>Answers 404 for the admin surface anywhere but the admin endpoint, and for all but the webhook and probes on the webhook endpoint.</summary>
    public static IApplicationBuilder UseGatewayListenerRules(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        var listener = ListenerOf(context);
        if (listener == GatewayListener.Admin)
        {
            return next(context);
        }

        var allowed = listener == GatewayListener.Webhooks ? IsWebhookPath(context.Request.Path) : !IsAdminPath(context.Request.Path);
        if (allowed)
        {
            return next(context);
        }

        context.Response.StatusCode = StatusCodes.Status404NotFound;
        return Task.CompletedTask;
    });

    // Loops, not LINQ over lambdas: this runs on every webhook, and a lambda capturing the path allocates per request.
    private static bool IsWebhookPath(PathString path)
    {
        foreach (var allowed in WebhookPaths)
        {
            if (path.Equals(allowed, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsAdminPath(PathString path)
    {
        foreach (var admin in AdminPaths)
        {
            if (path.StartsWithSegments(admin, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The endpoint <paramref name="context"/>'s connection arrived on.</summary>
    public static GatewayListener ListenerOf(HttpContext context) =>
        context?.Features.Get<IGatewayListenerFeature>()?.Listener ?? GatewayListener.Other;

    private sealed record ListenerFeature(GatewayListener Listener) : IGatewayListenerFeature;
}

/// <summary>The connection feature carrying a connection's <see cref="GatewayListener"/>.</summary>
public interface IGatewayListenerFeature
{
    /// <summary>The endpoint the connection arrived on.</summary>
    GatewayListener Listener { get; }
}
