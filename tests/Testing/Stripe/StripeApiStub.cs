using System.Collections.Concurrent;
using Billing.Testing.Network;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Billing.Testing.Stripe;

/// <summary>
/// A local, stateful stand-in for Stripe's API (Stripe's own servers cannot be reached from here, and stripe-mock is
/// stateless and unobtainable) that Stripe.net talks to as to Stripe: lists with cursors, events with 30-day
/// retention, per-account state, faults and a rate ceiling, and a record of every request.
/// </summary>
public sealed class StripeApiStub : IAsyncDisposable
{
    // nginx's status for a client that hung up before the answer: recorded for a slow answer the client gave up on.
    private const int StatusClientClosedRequest = 499;

    private readonly ConcurrentDictionary<string, StubAccount> _accounts = new(StringComparer.Ordinal);
    private WebApplication? _app;

    private StripeApiStub()
    {
    }

    /// <summary>Where the stub listens; use it as <c>Stripe:ApiBase</c>.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>
    /// The status each subscription has "at Stripe" when no account holds it (see <see cref="StubAccount.PutSubscription"/>):
    /// <c>GET /v1/subscriptions/{id}</c> then answers a minimal subscription with this status, whatever the account.
    /// </summary>
    public ConcurrentDictionary<string, string> SubscriptionStatuses { get; } = new();

    /// <summary>Each request: path and the <c>Stripe-Account</c> header, if any.</summary>
    public ConcurrentQueue<(string Path, string? StripeAccount)> Requests { get; } = new();

    /// <summary>Each request in full, faulted ones included, recorded before its answer is sent.</summary>
    public ConcurrentQueue<StubRequest> RequestLog { get; } = new();

    /// <summary>The stub's clock (default: real UTC now): event retention and late-visible events follow it.</summary>
    public Func<DateTimeOffset> Now { get; set; } = () => DateTimeOffset.UtcNow;

    /// <summary>The faults to apply and the rate ceiling.</summary>
    public StubFaults Faults { get; } = new();

    /// <summary>
    /// Called with the request path after each list page is computed and before it is sent, so a test can change the
    /// state between two page reads (Stripe's lists are not snapshots).
    /// </summary>
    public Action<string>? OnListPage { get; set; }

    /// <summary>The state of an account: null (or empty) for the platform, else a connected account's id.</summary>
    public StubAccount Account(string? accountId = null) =>
        _accounts.GetOrAdd(accountId ?? "", id => new StubAccount(id.Length == 0 ? null : id));

    /// <summary>How many requests (of <see cref="RequestLog"/>) had a path starting with <paramref name="pathPrefix"/>.</summary>
    public int CountRequests(string pathPrefix) =>
        RequestLog.Count(r => r.Path.StartsWith(pathPrefix, StringComparison.Ordinal));

    /// <summary>Starts the stub on loopback: on <paramref name="port"/>, or on a free port when it is 0.</summary>
    public static async Task<StripeApiStub> StartAsync(int port = 0)
    {
        var stub = new StripeApiStub();
        var app = LoopbackWebApp.CreateBuilder(port).Build();
        app.Run(stub.HandleAsync);
        await app.StartAsync();
        stub._app = app;
        stub.BaseAddress = LoopbackWebApp.AddressOf(app);
        return stub;
    }

    /// <inheritdoc/>
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
        var request = context.Request;
        var arrived = DateTimeOffset.UtcNow;
        var accountId = Header(request, "Stripe-Account");
        var answer = await AnswerAsync(context, accountId);

        var path = request.Path.Value ?? "";
        var query = Uri.UnescapeDataString(request.QueryString.Value?.TrimStart('?') ?? "");
        Requests.Enqueue((path, accountId));
        RequestLog.Enqueue(new StubRequest(request.Method, path, query, accountId, Header(request, "Stripe-Version"),
            answer?.Status ?? StatusClientClosedRequest, arrived));
        if (answer is null)
        {
            return;
        }

        var response = context.Response;
        response.StatusCode = answer.Status;
        response.Headers["Request-Id"] = $"req_{Guid.NewGuid():N}"[..18];
        foreach (var (name, value) in answer.Headers)
        {
            response.Headers[name] = value;
        }

        response.ContentType = answer.ContentType;
        await response.WriteAsync(answer.Body, context.RequestAborted);
    }

    // The answer, or null when the client went away while a slow fault held the request.
    private async Task<StubAnswer?> AnswerAsync(HttpContext context, string? accountId)
    {
        // The ceiling first: an over-rate request does not use up a queued fault meant for a later one.
        if (Faults.CountAndCheckCeiling())
        {
            return StubFault.RateLimitAnswer("endpoint-rate");
        }

        var fault = Faults.Take(context.Request.Path.Value ?? "");
        if (fault?.Answer() is { } faulted)
        {
            return faulted;
        }

        if (fault is { Kind: StubFaultKind.Slow })
        {
            try
            {
                await Task.Delay(fault.Delay, context.RequestAborted);
            }
            catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
            {
                return null;
            }
        }

        try
        {
            return StubRoutes.Answer(this, context.Request, Account(accountId));
        }
        catch (StubError error)
        {
            return StubAnswer.Of(error);
        }
#pragma warning disable CA1031 // A failure inside the stub (or a test's OnListPage) must reach the test as an answer, not a dropped connection.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            // Stripe-Should-Retry: false, so Stripe.net does not retry the stub's own bug into a slower failure.
            return StubAnswer.Error(500, "api_error", null, $"The Stripe stub failed: {exception}") with
            {
                Headers = new Dictionary<string, string> { ["Stripe-Should-Retry"] = "false" },
            };
        }
    }

    private static string? Header(HttpRequest request, string name) =>
        request.Headers[name].ToString() is { Length: > 0 } value ? value : null;
}
