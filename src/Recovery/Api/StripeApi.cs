using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Polly.Timeout;
using Stripe;

namespace Billing.Recovery.Api;

/// <summary>
/// Reads Stripe's API through Stripe.net (key, version and <c>Stripe-Account</c> headers, error shapes) over two
/// budgeted HTTP pipelines: a patient one for recovery jobs (429, 5xx and network errors retried with exponential
/// backoff and jitter, which Stripe.net does not do for 429) and a quick one for fetches inside a customer's turn (one
/// short attempt). Pages are read raw (<see cref="StripeClient.RawRequestAsync"/>), never as typed lists: one event of
/// an old API version that Stripe.net cannot map would otherwise fail its whole page and stall the cursor.
/// </summary>
public sealed class StripeApi
{
    /// <summary>The named client of recovery jobs.</summary>
    public const string PatientClient = "stripe-api-patient";

    /// <summary>The named client of fetches inside a grain turn.</summary>
    public const string QuickClient = "stripe-api-quick";

    private readonly StripeClient? _patient;
    private readonly StripeClient? _quick;
    private readonly TimeProvider _time;

    /// <summary>A client per pipeline, when <c>Stripe:ApiKey</c> is set.</summary>
    public StripeApi(IHttpClientFactory clients, IOptions<StripeApiOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(clients);
        ArgumentNullException.ThrowIfNull(options);
        _time = time;
        if (options.Value.ApiKey is { Length: > 0 } key)
        {
            var apiBase = options.Value.ApiBase?.ToString().TrimEnd('/');
            _patient = Create(clients.CreateClient(PatientClient), key, apiBase);
            _quick = Create(clients.CreateClient(QuickClient), key, apiBase);
        }
    }

    /// <summary>Whether <c>Stripe:ApiKey</c> is set.</summary>
    public bool Configured => _patient is not null;

    /// <summary>Reads one page of the list at <paramref name="path"/> (e.g. <c>/v1/events</c>) with <paramref name="query"/>.</summary>
    /// <exception cref="StripeRefusedException">Stripe refused it for good.</exception>
    /// <exception cref="StripeUnavailableException">Every attempt failed.</exception>
    public async Task<StripePage> ListAsync(string path, IEnumerable<KeyValuePair<string, string>> query, string? account,
        CancellationToken cancellationToken)
    {
        using var document = await RequestAsync(Client(_patient), path + QueryString(query), account, cancellationToken);
        var root = document.RootElement;
        var items = root.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Array
            ? data.EnumerateArray().Select(item => item.Clone()).ToList()
            : throw new StripeUnavailableException($"Stripe answered {path} with something that is not a list");
        var hasMore = root.TryGetProperty("has_more", out var more) && more.ValueKind == JsonValueKind.True;
        return new StripePage(items, hasMore, _time.GetUtcNow());
    }

    /// <summary>
    /// Retrieves the object at <paramref name="path"/> with one short attempt (for a grain turn); null when Stripe does
    /// not have it or could not answer in time.
    /// </summary>
    public async Task<JsonElement?> TryGetQuicklyAsync(string path, string? account, CancellationToken cancellationToken)
    {
        try
        {
            using var document = await RequestAsync(Client(_quick), path, account, cancellationToken);
            return document.RootElement.Clone();
        }
        catch (Exception exception) when (exception is StripeRefusedException or StripeUnavailableException)
        {
            return null;
        }
    }

    private static StripeClient Client(StripeClient? client) =>
        client ?? throw new InvalidOperationException("Stripe:ApiKey is not set: Stripe's API cannot be called");

    private static async Task<JsonDocument> RequestAsync(StripeClient client, string pathAndQuery, string? account,
        CancellationToken cancellationToken)
    {
        StripeResponse response;
        try
        {
            response = await client.RawRequestAsync(HttpMethod.Get, pathAndQuery, null,
                new RawRequestOptions { StripeAccount = account }, cancellationToken);
        }
        catch (StripeException exception)
        {
            throw Classify((int?)exception.HttpStatusCode ?? 0, exception.StripeError?.Code, exception.Message, exception);
        }
        catch (Exception exception) when (exception is HttpRequestException or TimeoutRejectedException ||
                                          (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new StripeUnavailableException($"Stripe could not be reached ({exception.GetType().Name})", exception);
        }

        if ((int)response.StatusCode is < 200 or > 299)
        {
            throw Classify((int)response.StatusCode, null, $"Stripe answered {(int)response.StatusCode}", null);
        }

        try
        {
            return JsonDocument.Parse(response.Content);
        }
        catch (JsonException exception)
        {
            throw new StripeUnavailableException("Stripe answered with a body that is not JSON", exception);
        }
    }

    // 429 and 5xx are what the pipeline already retried: the job waits and reads the page again. Other 4xx are final.
    private static Exception Classify(int status, string? code, string message, Exception? inner) =>
        status is 0 or 408 or 429 or >= 500
            ? new StripeUnavailableException($"Stripe answered {status} ({code ?? "no code"}) after every retry", inner)
            : new StripeRefusedException(status, code, $"Stripe refused the request: {status} {code}: {message}");

    private static string QueryString(IEnumerable<KeyValuePair<string, string>> query)
    {
        var builder = new StringBuilder();
        foreach (var (name, value) in query)
        {
            builder.Append(builder.Length == 0 ? '?' : '&').Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
        }

        return builder.ToString();
    }

    // Stripe.net's own retries are off: the pipeline owns retries, so that each attempt waits for the budget.
    private static StripeClient Create(HttpClient http, string key, string? apiBase) => new(new StripeClientOptions
    {
        ApiKey = key,
        ApiBase = apiBase,
        HttpClient = new SystemNetHttpClient(http, maxNetworkRetries: 0),
    });
}
