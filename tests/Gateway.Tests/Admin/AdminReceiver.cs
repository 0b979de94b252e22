using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Billing.Gateway.Tests.Admin;

/// <summary>
/// A real internal endpoint on Kestrel at 127.0.0.1 (a port the OS picks) that receives outbound deliveries:
/// it answers the scripted status codes in order (the last one repeats) and keeps every request.
/// </summary>
public sealed class AdminReceiver : IAsyncDisposable
{
    private static readonly Lazy<string> EmptyContentRoot = new(() =>
        Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "billing-admin-receiver")).FullName);

    private readonly ConcurrentQueue<Received> _received = new();
    private readonly Lock _scriptLock = new();
    private Queue<int> _script = new([200]);
    private WebApplication? _app;

    private AdminReceiver()
    {
    }

    /// <summary>The one endpoint's URL.</summary>
    public string Endpoint { get; private set; } = null!;

    public IReadOnlyList<Received> Requests => _received.ToList();

    public static async Task<AdminReceiver> StartAsync()
    {
        var receiver = new AdminReceiver();
        // No configuration sources: the test output folder's appsettings.json names fixed Kestrel ports.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = EmptyContentRoot.Value });
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.MapPost("/billing/fulfillment", receiver.HandleAsync);
        await app.StartAsync();

        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        receiver._app = app;
        receiver.Endpoint = $"{address}/billing/fulfillment";
        return receiver;
    }

    /// <summary>The next requests are answered with these status codes, the last one for ever after.</summary>
    public void Answer(params int[] statusCodes)
    {
        lock (_scriptLock)
        {
            _script = new Queue<int>(statusCodes);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        _received.Enqueue(new Received(body, context.Request.Headers["Billing-Signature"].ToString(),
            context.Request.Headers["Billing-Message-Id"].ToString()));
        lock (_scriptLock)
        {
            context.Response.StatusCode = _script.Count > 1 ? _script.Dequeue() : _script.Peek();
        }
    }

    /// <summary>One request: its body, signature header and message id header.</summary>
    public sealed record Received(string Body, string Signature, string MessageId);
}
