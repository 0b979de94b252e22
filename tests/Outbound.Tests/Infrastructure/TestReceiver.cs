using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Billing.Outbound.Tests.Infrastructure;

/// <summary>
/// A real HTTP receiver on Kestrel at 127.0.0.1 (a port the OS picks): every <c>POST /{name}</c> is one endpoint. The
/// test scripts each endpoint's answers in order (the last one repeats; unscripted endpoints answer 200) and reads
/// back every request it received.
/// </summary>
public sealed class TestReceiver : IAsyncDisposable
{
    private static readonly Lazy<string> EmptyContentRoot = new(() =>
        Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "billing-outbound-receiver")).FullName);

    private readonly ConcurrentDictionary<string, ConcurrentQueue<Answer>> _scripts = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<ReceivedRequest> _received = new();
    private readonly CancellationTokenSource _stopping = new();
    private WebApplication? _app;

    private TestReceiver()
    {
    }

    public Uri BaseAddress { get; private set; } = null!;

    public static async Task<TestReceiver> StartAsync()
    {
        var receiver = new TestReceiver();
        // An empty content root and no configuration sources: the test output folder holds the hosts' appsettings.json,
        // whose Kestrel endpoints (fixed ports) must not apply to the receiver.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = EmptyContentRoot.Value });
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromSeconds(2));
        var app = builder.Build();
        app.MapPost("/{**name}", receiver.HandleAsync);
        await app.StartAsync();

        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        receiver._app = app;
        receiver.BaseAddress = new Uri(address);
        return receiver;
    }

    /// <summary>The URL of endpoint <paramref name="name"/> (a path, possibly with a query).</summary>
    public string Endpoint(string name) => new Uri(BaseAddress, name).ToString();

    /// <summary>Endpoint <paramref name="name"/> answers these, one per request, the last one for ever after.</summary>
    public void Script(string name, params Answer[] answers) =>
        _scripts[Key(name)] = new ConcurrentQueue<Answer>(answers);

    /// <summary>Every request endpoint <paramref name="name"/> received, in order.</summary>
    public IReadOnlyList<ReceivedRequest> RequestsTo(string name) =>
        _received.Where(request => request.Endpoint == Key(name)).ToList();

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        _stopping.Dispose();
    }

    private static string Key(string name) => "/" + name.Split('?')[0].TrimStart('/');

    private async Task HandleAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        var endpoint = context.Request.Path.Value!;
        var headers = context.Request.Headers;
        _received.Enqueue(new ReceivedRequest(endpoint, context.Request.Method, context.Request.ContentType,
            headers["Billing-Signature"].FirstOrDefault(), headers["Billing-Message-Id"].FirstOrDefault(),
            headers["Billing-Message-Type"].FirstOrDefault(), body.ToArray(), DateTimeOffset.UtcNow));

        var answer = Next(endpoint);
        if (answer.Hang)
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
            try
            {
                await Task.Delay(Timeout.Infinite, linked.Token);
            }
            catch (OperationCanceledException)
            {
                // The client gave up, or the receiver is stopping.
            }

            return;
        }

        context.Response.StatusCode = answer.StatusCode;
        if (answer.RetryAfter is not null)
        {
            context.Response.Headers.RetryAfter = answer.RetryAfter;
        }

        if (answer.Location is not null)
        {
            context.Response.Headers.Location = answer.Location;
        }

        if (answer.Body is not null)
        {
            await context.Response.WriteAsync(answer.Body, context.RequestAborted);
        }
    }

    private Answer Next(string endpoint)
    {
        if (!_scripts.TryGetValue(endpoint, out var script))
        {
            return 200;
        }

        lock (script)
        {
            if (script.Count > 1 && script.TryDequeue(out var next))
            {
                return next;
            }

            return script.TryPeek(out var last) ? last : 200;
        }
    }
}
