using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Stripe;

namespace Billing.Testing.Stripe;

/// <summary>Signs bodies the way Stripe does and posts them to the gateway's webhook route.</summary>
public sealed class WebhookSender(HttpClient http, string secret)
{
    /// <summary>The route Stripe posts to.</summary>
    public const string Route = "/stripe/webhook";

    /// <summary>Stripe's signature header for <paramref name="body"/>, signed at <paramref name="timestamp"/> (now by default).</summary>
    public static string Sign(string body, string secret, DateTimeOffset? timestamp = null) =>
        EventUtility.GenerateSignatureHeader(body, secret, (timestamp ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds());

    /// <summary>Posts <paramref name="body"/> signed with this sender's secret.</summary>
    public Task<HttpResponseMessage> SendAsync(string body, CancellationToken cancellationToken = default) =>
        SendRawAsync(body, Sign(body, secret), cancellationToken);

    /// <summary>Posts <paramref name="body"/> with exactly the given signature header (null: none).</summary>
    public async Task<HttpResponseMessage> SendRawAsync(string body, string? signatureHeader, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Route, UriKind.Relative))
        {
            Content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
        };
        if (signatureHeader is not null)
        {
            request.Headers.TryAddWithoutValidation("Stripe-Signature", signatureHeader);
        }

        return await http.SendAsync(request, cancellationToken);
    }

    /// <summary>Posts and reads the 200 answer's <c>status</c>; throws on any other answer.</summary>
    public async Task<string> ApplyAsync(string body, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(body, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{(int)response.StatusCode}: {text}", null, response.StatusCode);
        }

        using var answer = JsonDocument.Parse(text);
        return answer.RootElement.GetProperty("status").GetString()!;
    }
}
