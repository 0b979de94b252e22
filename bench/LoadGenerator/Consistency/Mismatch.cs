namespace Billing.Bench.LoadGenerator.Consistency;

/// <summary>A sampled customer whose entitlements differ from what its acknowledged events imply.</summary>
internal sealed record Mismatch(
    string CustomerId,
    int AcknowledgedEvents,
    string ExpectedAccess,
    IReadOnlyList<string> ExpectedFeatures,
    string ActualAccess,
    IReadOnlyList<string> ActualFeatures,
    string? Error);
