namespace Billing.Gateway;

/// <summary>The <c>Gateway</c> configuration section: who may call the gRPC API and who may operate.</summary>
public sealed class GatewayOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Gateway";

    /// <summary>Bearer tokens internal callers must present on gRPC (and on admin routes when <see cref="AdminApiKeys"/> is empty); when empty, none is asked.</summary>
    public string[] ApiKeys { get; set; } = [];

    /// <summary>
    /// Bearer tokens of operators: they open the admin routes, the console and the Orleans dashboard, not gRPC. When
    /// empty, <see cref="ApiKeys"/> open those too.
    /// </summary>
    public string[] AdminApiKeys { get; set; } = [];

    /// <summary>Lets a gateway in the <c>Production</c> environment start without keys (everything without keys is then open).</summary>
    public bool AllowAnonymous { get; set; }
}
