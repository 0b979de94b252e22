using System.Text;

namespace Billing.SendEvent;

/// <summary>A webhook delivery as Stripe makes it: the body, signed with the endpoint's secret at the time of sending.</summary>
internal static class WebhookPost
{
    /// <summary>The POST of <paramref name="body"/> to <paramref name="url"/>, with its <c>Stripe-Signature</c> header.</summary>
    public static HttpRequestMessage Create(string url, string body, string secret, DateTimeOffset signedAt)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("Stripe-Signature",
            Stripe.EventUtility.GenerateSignatureHeader(body, secret, signedAt.ToUnixTimeSeconds()));
        return request;
    }
}
