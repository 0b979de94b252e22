using System.Collections.Concurrent;
using Billing.Testing.Network;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Billing.Testing.Stripe;

/// <summary>
/// A local stand-in for Stripe's API (Stripe's own servers cannot be reached from here): answers
/// <c>GET /v1/subscriptions/{id}</c> in Stripe's shape with the status the test sets, and records each request.
/// </summary>
public sealed class StripeApiStub : IAsyncDisposable
{
    private readonly WebApplication _app;

    private StripeApiStub(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    /// <summary>Where the stub listens; use it as <c>Stripe:ApiBase</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The status each subscription has "at Stripe" now.</summary>
    public ConcurrentDictionary<string, string> SubscriptionStatuses { get; } = new();

    /// <summary>Each request: path and the <c>Stripe-Account</c> header, if any.</summary>
    public ConcurrentQueue<(string Path, string? StripeAccount)> Requests { get; } = new();

    /// <summary>Starts the stub on a free loopback port.</summary>
    public static async Task<StripeApiStub> StartAsync()
    {
        var app = LoopbackWebApp.CreateBuilder().Build();
        StripeApiStub? stub = null;
        app.MapGet("/v1/subscriptions/{id}", (string id, HttpContext context) =>
        {
            var account = context.Request.Headers["Stripe-Account"].ToString();
            stub!.Requests.Enqueue((context.Request.Path, account.Length > 0 ? account : null));
            return stub.SubscriptionStatuses.TryGetValue(id, out var status)
                ? Results.Content($$"""{"id":"{{id}}","object":"subscription","status":"{{status}}","livemode":false}""", "application/json")
                : Results.Json(new { error = new { type = "invalid_request_error", message = $"No such subscription: '{id}'" } }, statusCode: 404);
        });
        await app.StartAsync();
        stub = new StripeApiStub(app, LoopbackWebApp.AddressOf(app));
        return stub;
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
