using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Billing.Gateway.History;

/// <summary>
/// The history's page tokens: where the next page starts (after a journal version), bound to the customer they were
/// issued for, with a check so that a token the server did not issue (made up, cut short, another customer's) is an
/// invalid argument rather than a page from somewhere. Not a secret: the caller may read the whole history anyway.
/// </summary>
public static class HistoryPageToken
{
    private const int CheckBytes = 8;

    /// <summary>The token for the page after <paramref name="afterVersion"/>; empty for 0 (no next page).</summary>
    public static string Encode(string customerId, long afterVersion)
    {
        if (afterVersion <= 0)
        {
            return string.Empty;
        }

        Span<byte> token = stackalloc byte[sizeof(long) + CheckBytes];
        BinaryPrimitives.WriteInt64BigEndian(token, afterVersion);
        Check(customerId, afterVersion, token[sizeof(long)..]);
        return Convert.ToBase64String(token).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    /// <summary>The version a token starts after (0 for an empty token), or null when the server did not issue it for this customer.</summary>
    public static long? Decode(string customerId, string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return 0;
        }

        var base64 = token.Replace('-', '+').Replace('_', '/');
        base64 += new string('=', (4 - (base64.Length % 4)) % 4);
        Span<byte> bytes = stackalloc byte[64];
        if (!Convert.TryFromBase64String(base64, bytes, out var written) || written != sizeof(long) + CheckBytes)
        {
            return null;
        }

        var afterVersion = BinaryPrimitives.ReadInt64BigEndian(bytes);
        Span<byte> expected = stackalloc byte[CheckBytes];
        Check(customerId, afterVersion, expected);
        return afterVersion > 0 && CryptographicOperations.FixedTimeEquals(expected, bytes.Slice(sizeof(long), CheckBytes)) ? afterVersion : null;
    }

    private static void Check(string customerId, long afterVersion, Span<byte> destination)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes($"billing.history.v1|{customerId}|{afterVersion}"), hash);
        hash[..CheckBytes].CopyTo(destination);
    }
}
