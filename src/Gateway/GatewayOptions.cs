namespace Billing.Gateway;

/// <summary>The <c>Gateway</c> configuration section.</summary>
public sealed class GatewayOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Gateway";

    /// <summary>Bearer tokens internal callers must present on gRPC and admin routes; when empty, none is asked.</summary>
    public string[] ApiKeys { get; set; } = [];
}
