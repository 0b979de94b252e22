using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Billing.Outbound;

/// <summary>
/// <c>Billing-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256 of "&lt;t&gt;.&lt;body&gt;"&gt;</c>: exactly Stripe's
/// scheme, so a receiver verifies it with any Stripe verifier (Stripe.net's <c>EventUtility.ValidateSignature</c>).
/// </summary>
public static class OutboundSignature
{
    /// <summary>Creates the header value for <paramref name="body"/> signed with <paramref name="secret"/> at <paramref name="timestamp"/>.</summary>
    public static string Create(ReadOnlySpan<byte> body, string secret, DateTimeOffset timestamp)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        var seconds = timestamp.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret));
        hmac.AppendData(Encoding.UTF8.GetBytes(seconds + "."));
        hmac.AppendData(body);
        return $"t={seconds},v1={Convert.ToHexStringLower(hmac.GetHashAndReset())}";
    }
}
