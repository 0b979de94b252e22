namespace Billing.Deploy.Tests;

/// <summary>The overlays under deploy/k8s/overlays: every manifest test runs on each.</summary>
public static class Overlays
{
    /// <summary>Theory data: the overlay names.</summary>
    public static TheoryData<string> All => new() { "dev", "prod" };
}
