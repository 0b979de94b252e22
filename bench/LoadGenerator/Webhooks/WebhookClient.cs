using System.Text.Json;
using Billing.Bench.LoadGenerator.Events;
using Billing.Testing.Stripe;

namespace Billing.Bench.LoadGenerator.Webhooks;

/// <summary>Sends one delivery to a target and records what came back in the ledger and the tally.</summary>
internal sealed class WebhookClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly WebhookSender _sender;
    private readonly string _customerPrefix;

    /// <summary>A client of <paramref name="target"/> with up to <paramref name="connections"/> connections, sending
    /// events of customers <c>{customerPrefix}{index}</c>.</summary>
    public WebhookClient(Uri target, string secret, int connections, string customerPrefix)
    {
        // One connection per concurrent sender, kept open: the load is about the server, not about TCP set-up.
        _http = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(5),
        })
        {
            BaseAddress = target,
            // Longer than anything the product should take (its cluster calls time out well before).
            Timeout = TimeSpan.FromSeconds(60),
        };
        _sender = new WebhookSender(_http, secret);
        _customerPrefix = customerPrefix;
    }

    public DeliveryLedger Ledger { get; } = new();

    public OutcomeTally Tally { get; } = new();

    /// <summary>Sends <paramref name="plannedEvent"/>; true on a 2xx.</summary>
    public async Task<bool> SendAsync(PlannedEvent plannedEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plannedEvent);
        Ledger.Sent(plannedEvent);
        var body = EventBodies.Build(plannedEvent, _customerPrefix + plannedEvent.Customer);
        try
        {
            using var response = await _sender.SendAsync(body, cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                Tally.Failure((int)response.StatusCode, text);
                return false;
            }

            Ledger.Acknowledged(plannedEvent);
            Tally.Success(StatusOf(text));
            return true;
        }
        catch (HttpRequestException exception)
        {
            Tally.Error($"connection ({exception.HttpRequestError})", exception.Message);
        }
        catch (TaskCanceledException exception) when (!cancellationToken.IsCancellationRequested)
        {
            Tally.Error("timeout", exception.Message);
        }

        return false;
    }

    public void Dispose() => _http.Dispose();

    // The answer's "status": applied, duplicate or ignored (the baseline answers in the same shape).
    private static string StatusOf(string text)
    {
        try
        {
            using var answer = JsonDocument.Parse(text);
            return answer.RootElement.TryGetProperty("status", out var status) && status.GetString() is { } value
                ? value
                : "(no status)";
        }
        catch (JsonException)
        {
            return "(not JSON)";
        }
    }
}
