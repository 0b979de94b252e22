using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Billing.Testing.Network;

/// <summary>
/// The small local web apps tests stand up (endpoints that receive deliveries, a stand-in for Stripe's API): Kestrel
/// on 127.0.0.1, on a port the OS picks.
/// </summary>
public static class LoopbackWebApp
{
    private static readonly Lazy<string> EmptyFolder = new(() =>
        Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "billing-tests-empty-content-root")).FullName);

    /// <summary>
    /// An empty folder to use as a host's content root: the test output folder holds the product's appsettings.json,
    /// whose Kestrel endpoints (fixed ports) would otherwise be loaded by every web host a test starts there.
    /// </summary>
    public static string EmptyContentRoot => EmptyFolder.Value;

    /// <summary>
    /// A slim builder with no configuration sources, no logging, listening on loopback: on <paramref name="port"/>,
    /// or on a free port the OS picks when it is 0 (what tests want; a fixed port is for tools run by hand).
    /// </summary>
    public static WebApplicationBuilder CreateBuilder(int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = EmptyContentRoot });
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromSeconds(2));
        return builder;
    }

    /// <summary>Where a started app listens, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public static Uri AddressOf(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new Uri(address.EndsWith('/') ? address : address + "/");
    }
}
