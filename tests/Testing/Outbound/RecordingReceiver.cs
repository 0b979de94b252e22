using System.Collections.Concurrent;
using System.Net;
using Billing.Testing.Network;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Billing.Testing.Outbound;

/// <summary>
/// A real HTTP endpoint on Kestrel at 127.0.0.1 (a port the OS picks) that stands in for a company's fulfillment
/// service or mailer: every <c>POST /{path}</c> is one endpoint. It records every request and answers what the test
/// says: a path's scripted answers in order (the last one repeats), otherwise <see cref="Status"/> (200 by default).
/// </summary>
public sealed class RecordingReceiver : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<Answer>> _scripts = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<ReceivedDelivery> _received = new();
    private readonly ConcurrentQueue<EndedRequest> _ended = new();
    private readonly CancellationTokenSource _stopping = new();
    private volatile int _status = StatusCodes.Status200OK;
    private WebApplication? _app;

    private RecordingReceiver()
    {
    }

    /// <summary>Where the receiver listens, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Every request received, on any path, in arrival order.</summary>
    public IReadOnlyCollection<ReceivedDelivery> Received => _received;

    /// <summary>Every request that ended (answered, or given up by its client), in the order they ended.</summary>
    public IReadOnlyCollection<EndedRequest> Ended => _ended;

    /// <summary>The status code every path without a script is answered with from now on.</summary>
    public HttpStatusCode Status
    {
        get => (HttpStatusCode)_status;
        set => _status = (int)value;
    }

    /// <summary>Starts a receiver on a free loopback port.</summary>
    public static async Task<RecordingReceiver> StartAsync()
    {
        var receiver = new RecordingReceiver();
        var app = LoopbackWebApp.CreateBuilder().Build();
        app.MapPost("/{**path}", receiver.HandleAsync);
        await app.StartAsync();

        receiver._app = app;
        receiver.BaseAddress = LoopbackWebApp.AddressOf(app);
        return receiver;
    }

    /// <summary>The URL of a path on this receiver (possibly with a query), e.g. <c>Url("fulfillment")</c>.</summary>
    public string Url(string path) => new Uri(BaseAddress, path).ToString();

    /// <summary>Path <paramref name="path"/> answers these, one per request, the last one for ever after.</summary>
    public void Script(string path, params Answer[] answers) =>
        _scripts[Key(path)] = new ConcurrentQueue<Answer>(answers);

    /// <summary>Every request path <paramref name="path"/> received, in order.</summary>
    public IReadOnlyList<ReceivedDelivery> RequestsTo(string path) =>
        _received.Where(request => request.Path == Key(path)).ToList();

    /// <summary>The distinct message ids (the bodies' <c>id</c>) received on <paramref name="path"/>.</summary>
    public IReadOnlyList<string> IdsOn(string path) =>
        [.. RequestsTo(path).Select(request => request.Id).Distinct()];

    /// <summary>Waits until a delivery matching <paramref name="match"/> arrives.</summary>
    public async Task<ReceivedDelivery> WaitForAsync(Func<ReceivedDelivery, bool> match, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (_received.FirstOrDefault(match) is { } found)
            {
                return found;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"No matching delivery within {timeout}; received: " +
                    string.Join(", ", _received.Select(r => $"{r.Path} {r.Id} {r.Type}")));
            }

            await Task.Delay(100);
        }
    }

    /// <inheritdoc/>
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

    private static string Key(string path) => "/" + path.Split('?')[0].TrimStart('/');

    private async Task HandleAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        var path = context.Request.Path.Value!;
        var headers = context.Request.Headers;
        var delivery = new ReceivedDelivery(path, context.Request.Method, context.Request.ContentType,
            headers["Billing-Signature"].FirstOrDefault(), headers["Billing-Message-Id"].FirstOrDefault(),
            headers["Billing-Message-Type"].FirstOrDefault(), body.ToArray(), DateTimeOffset.UtcNow,
            headers["traceparent"].FirstOrDefault());
        _received.Enqueue(delivery);
        var answer = Next(path);
        if (answer.Hang || answer.Delay is not null)
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
            try
            {
                await Task.Delay(answer.Delay ?? Timeout.InfiniteTimeSpan, linked.Token);
            }
            catch (OperationCanceledException)
            {
                // The client gave up, or the receiver is stopping.
                _ended.Enqueue(new EndedRequest(delivery, DateTimeOffset.UtcNow, Answered: false));
                return;
            }
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

        _ended.Enqueue(new EndedRequest(delivery, DateTimeOffset.UtcNow, Answered: true));
    }

    private Answer Next(string path)
    {
        if (!_scripts.TryGetValue(path, out var script))
        {
            return _status;
        }

        lock (script)
        {
            if (script.Count > 1 && script.TryDequeue(out var next))
            {
                return next;
            }

            return script.TryPeek(out var last) ? last : _status;
        }
    }
}
