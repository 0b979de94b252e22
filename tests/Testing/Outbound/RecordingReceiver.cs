using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Billing.Testing.Outbound;

/// <summary>
/// A real HTTP endpoint on 127.0.0.1 that records every outbound delivery it gets and answers what the test says
/// (200 by default). Stands in for a company's fulfillment service or mailer.
/// </summary>
public sealed class RecordingReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private volatile int _status = StatusCodes.Status200OK;

    private RecordingReceiver(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    /// <summary>Where the receiver listens, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>Every request received, in arrival order.</summary>
    public ConcurrentQueue<ReceivedDelivery> Received { get; } = new();

    /// <summary>The status code every request is answered with from now on.</summary>
    public HttpStatusCode Status
    {
        get => (HttpStatusCode)_status;
        set => _status = (int)value;
    }

    /// <summary>The URL of a path on this receiver, e.g. <c>Url("fulfillment")</c>.</summary>
    public string Url(string path) => new Uri(BaseAddress, path).ToString();

    /// <summary>Starts a receiver on a free loopback port.</summary>
    public static async Task<RecordingReceiver> StartAsync()
    {
        // An empty content root: the test output folder holds the product's appsettings.json, whose Kestrel
        // endpoints would otherwise replace the port asked for here.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ContentRootPath = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "billing-receiver")).FullName,
        });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        RecordingReceiver? receiver = null;
        app.MapPost("/{**path}", async (HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync();
            receiver!.Received.Enqueue(new ReceivedDelivery(
                context.Request.Path, body, context.Request.Headers["Billing-Signature"].ToString(), DateTimeOffset.UtcNow));
            context.Response.StatusCode = receiver._status;
        });
        await app.StartAsync();
        receiver = new RecordingReceiver(app, new Uri(app.Urls.First() + "/"));
        return receiver;
    }

    /// <summary>The distinct message ids received on <paramref name="path"/>.</summary>
    public IReadOnlyList<string> IdsOn(string path) =>
        [.. Received.Where(r => r.Path == "/" + path).Select(r => r.Id).Distinct()];

    /// <summary>Waits until a delivery matching <paramref name="match"/> arrives.</summary>
    public async Task<ReceivedDelivery> WaitForAsync(Func<ReceivedDelivery, bool> match, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (Received.FirstOrDefault(match) is { } found)
            {
                return found;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"No matching delivery within {timeout}; received: " +
                    string.Join(", ", Received.Select(r => $"{r.Path} {r.Id} {r.Type}")));
            }

            await Task.Delay(100);
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>One outbound delivery as the receiver saw it.</summary>
public sealed record ReceivedDelivery(string Path, string Body, string Signature, DateTimeOffset At)
{
    /// <summary>The body's <c>id</c>.</summary>
    public string Id => Json.RootElement.GetProperty("id").GetString()!;

    /// <summary>The body's <c>type</c>.</summary>
    public string Type => Json.RootElement.GetProperty("type").GetString()!;

    /// <summary>The parsed body.</summary>
    public JsonDocument Json => JsonDocument.Parse(Body);
}
