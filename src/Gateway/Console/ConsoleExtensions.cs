using Billing.Gateway.OperatorConsole;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.ApplicationParts;

// Beside GatewayApp and the gateway's Extensions, which put the host together with these two calls.
namespace Billing.Gateway;

/// <summary>Wires the operator console (<c>/console</c>) into the gateway.</summary>
public static class ConsoleExtensions
{
    /// <summary>
    /// Razor Pages under <c>Console/Pages</c>, the operator sign-in (cookie scheme <see cref="OperatorAuthentication.CookieScheme"/>,
    /// bearer keys forwarded to <see cref="OperatorAuthentication.BearerScheme"/>) and the policy
    /// <see cref="OperatorAuthentication.Policy"/> on every page but the sign-in.
    /// </summary>
    public static IHostApplicationBuilder AddConsole(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddSingleton<OperatorSignIn>();
        services.AddSingleton<CustomerSearch>();
        services.AddSingleton<IAuthorizationHandler, OperatorRequirementHandler>();

        services.AddAuthentication()
            .AddCookie(OperatorAuthentication.CookieScheme, options =>
            {
                options.LoginPath = "/console/sign-in";
                options.LogoutPath = "/console/sign-out";
                options.AccessDeniedPath = "/console/sign-in";
                options.Cookie.Name = "billing_operator";
                options.Cookie.Path = "/console";
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Strict;
                options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.ExpireTimeSpan = TimeSpan.FromHours(8);
                options.SlidingExpiration = true;

                // A script or curl sends its key on each request instead of holding a cookie.
                options.ForwardDefaultSelector = context =>
                    context.Request.Headers.Authorization.Count > 0 ? OperatorAuthentication.BearerScheme : null;
            })
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, OperatorBearerHandler>(
                OperatorAuthentication.BearerScheme, null);
        services.AddAuthorizationBuilder().AddPolicy(OperatorAuthentication.Policy, policy => policy
            .AddAuthenticationSchemes(OperatorAuthentication.CookieScheme)
            .AddRequirements(new OperatorRequirement()));

        services.AddAntiforgery(options =>
        {
            options.Cookie.Name = "billing_console_af";
            options.Cookie.Path = "/console";
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        services.AddRazorPages(options =>
        {
            options.RootDirectory = "/Console/Pages";
            options.Conventions.AuthorizeFolder("/", OperatorAuthentication.Policy);
            options.Conventions.AllowAnonymousToPage("/SignIn");
        }).ConfigureApplicationPartManager(parts =>
        {
            // The pages are compiled into the gateway's assembly, which is not the entry assembly when another host
            // (the tests) builds the gateway through GatewayApp.
            var gateway = typeof(ConsoleExtensions).Assembly;
            if (!parts.ApplicationParts.OfType<AssemblyPart>().Any(part => part.Assembly == gateway))
            {
                foreach (var part in ApplicationPartFactory.GetApplicationPartFactory(gateway).GetApplicationParts(gateway))
                {
                    parts.ApplicationParts.Add(part);
                }
            }
        });
        return builder;
    }

    /// <summary>
    /// Maps the console's pages and its stylesheet. Returns the pages' convention builder, so the host can put them
    /// on an endpoint of its choice (<c>RequireHost</c>). <c>/console/orleans</c> is left for the Orleans dashboard.
    /// </summary>
    public static IEndpointConventionBuilder MapConsole(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet(ConsoleStylesheet.Path, ConsoleStylesheet.Serve).AllowAnonymous().ExcludeFromDescription();
        return app.MapRazorPages();
    }
}
