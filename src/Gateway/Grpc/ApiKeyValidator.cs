using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Billing.Gateway.Grpc;

/// <summary>
/// Checks bearer tokens in constant time: <c>Gateway:ApiKeys</c> for gRPC callers, <c>Gateway:AdminApiKeys</c> (else
/// <c>Gateway:ApiKeys</c>) for operators. With no keys for a surface, everyone passes there.
/// </summary>
public sealed class ApiKeyValidator(IOptionsMonitor<GatewayOptions> options)
{
    private const string Scheme = "Bearer ";

    // The configured keys' hashes, recomputed only when the configured keys change (rotation without a restart).
    private KeyHashes _callerHashes = new([], []);
    private KeyHashes _operatorHashes = new([], []);

    /// <summary>Whether gRPC callers must present a key at all.</summary>
    public bool KeysRequired => options.CurrentValue.ApiKeys.Length > 0;

    /// <summary>Whether operators (admin routes, console, dashboard) must present a key at all.</summary>
    public bool OperatorKeysRequired => OperatorKeys.Length > 0;

    private string[] OperatorKeys => options.CurrentValue.AdminApiKeys is { Length: > 0 } admin ? admin : options.CurrentValue.ApiKeys;

    /// <summary>Whether an <c>authorization</c> header value grants access to the gRPC API.</summary>
    public bool IsAuthorized(string? authorization) => Grants(options.CurrentValue.ApiKeys, ref _callerHashes, BearerToken(authorization));

    /// <summary>Whether an <c>authorization</c> header value grants access to the admin surface.</summary>
    public bool IsOperator(string? authorization) => Grants(OperatorKeys, ref _operatorHashes, BearerToken(authorization));

    private static string? BearerToken(string? authorization) =>
        authorization is not null && authorization.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase)
            ? authorization[Scheme.Length..].Trim()
            : null;

    private static bool Grants(string[] keys, ref KeyHashes cache, string? token)
    {
        if (keys.Length == 0)
        {
            return true;
        }

        if (string.IsNullOrEmpty(token))
        {
            return false;
        }

        // Hash first so the comparison takes the same time whatever the lengths.
        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(token));
        var authorized = false;
        foreach (var hash in HashesOf(keys, ref cache))
        {
            authorized |= CryptographicOperations.FixedTimeEquals(presented, hash);
        }

        return authorized;
    }

    private static byte[][] HashesOf(string[] keys, ref KeyHashes cache)
    {
        var hashes = Volatile.Read(ref cache);
        if (!ReferenceEquals(hashes.Keys, keys))
        {
            hashes = new KeyHashes(keys, [.. keys.Select(key => SHA256.HashData(Encoding.UTF8.GetBytes(key)))]);
            Volatile.Write(ref cache, hashes);
        }

        return hashes.Hashes;
    }

    private sealed record KeyHashes(string[] Keys, byte[][] Hashes);
}
