using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Billing.Gateway.Grpc;

/// <summary>Checks bearer tokens against <c>Gateway:ApiKeys</c> in constant time; with no keys, everyone passes.</summary>
public sealed class ApiKeyValidator(IOptionsMonitor<GatewayOptions> options)
{
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
        foreach (var key in keys)
        {
            authorized |= CryptographicOperations.FixedTimeEquals(presented, SHA256.HashData(Encoding.UTF8.GetBytes(key)));
        }

        return authorized;
    }
}
