namespace Billing.Testing.Stripe;

/// <summary>
/// One object the stub holds: its id and <c>created</c> (together, its place in every list), its JSON exactly as the
/// test gave it, and the few fields the list filters read (parsed once, so a page never parses JSON).
/// </summary>
internal sealed record StubRecord(string Id, long Created, string Json)
{
    /// <summary>The customer a subscription belongs to.</summary>
    public string? Customer { get; init; }

    /// <summary>A subscription's status.</summary>
    public string? Status { get; init; }

    /// <summary>An event's type.</summary>
    public string? Type { get; init; }

    /// <summary>For a late-visible event: the instant of the stub's clock from which it exists.</summary>
    public DateTimeOffset? VisibleFrom { get; init; }

    /// <summary>For an active entitlement or a feature: its lookup key.</summary>
    public string? LookupKey { get; init; }
}
