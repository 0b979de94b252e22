using Billing.Gateway.Grpc;

namespace Billing.Gateway.OperatorConsole;

/// <summary>
/// The one place that decides whether a key is an operator's: the sign-in form, the bearer header on console pages and
/// the "console is open" banner all ask here.
/// </summary>
public sealed class OperatorSignIn(ApiKeyValidator validator)
{
    /// <summary>Whether operators must present a key at all (false: no keys configured, development).</summary>
    public bool KeysRequired => validator.OperatorKeysRequired;

    /// <summary>Whether a key typed into the sign-in form is an operator's.</summary>
    public bool IsOperatorKey(string? key) => !string.IsNullOrWhiteSpace(key) && IsOperatorAuthorization("Bearer " + key.Trim());

    /// <summary>Whether an <c>Authorization</c> header value is an operator's bearer key.</summary>
    public bool IsOperatorAuthorization(string? authorization) => validator.IsOperator(authorization);
}
