using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Billing.Gateway.Grpc;

/// <summary>Checks bearer tokens against <c>Gateway:ApiKeys</c> in constant time; with no keys, everyone passes.</summary>
public sealed class ApiKeyValidator(IOptionsMonitor<GatewayOptions> options)
{
    // The configured keys' hashes, recomputed only when the configured keys change (rotation without a restart).
    private KeyHashes _hashes = new([], []);

    /// <summary>Whether callers must present a key at all.</summary>
    public bool KeysRequired => options.CurrentValue.ApiKeys.Length > 0;

    /// <summary>Whether an <c>authorization</c> header value grants access.</summary>
    public bool IsAuthorized(string? authorization)
    {
        var keys = options.CurrentValue.ApiKeys;
        if (keys.Length == 0)
        {
            return true;
        }

        const string scheme = "Bearer ";
        if (authorization is null || !authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        // Hash first so the comparison takes the same time whatever the lengths.
        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(authorization[scheme.Length..].Trim()));
        var authorized = false;
        foreach (var hash in HashesOf(keys))
        {
            authorized |= CryptographicOperations.FixedTimeEquals(presented, hash);
        }

        return authorized;
    }

    private byte[][] HashesOf(string[] keys)
    {
        var hashes = Volatile.Read(ref _hashes);
        if (!ReferenceEquals(hashes.Keys, keys))
        {
            hashes = new KeyHashes(keys, [.. keys.Select(key => SHA256.HashData(Encoding.UTF8.GetBytes(key)))]);
            Volatile.Write(ref _hashes, hashes);
        }

        return hashes.Hashes;
    }

    private sealed record KeyHashes(string[] Keys, byte[][] Hashes);
}
