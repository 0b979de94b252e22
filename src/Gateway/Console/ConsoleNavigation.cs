namespace Billing.Gateway.OperatorConsole;

/// <summary>
/// The console's nav bar, in order. A new page is its <c>.cshtml</c> under <c>Console/Pages</c> (with
/// <c>@page "/console/…"</c>) and one line here.
/// </summary>
public static class ConsoleNavigation
{
    /// <summary>The entries: title and path.</summary>
    public static IReadOnlyList<NavEntry> Entries { get; } =
    [
        new("Overview", "/console"),
        new("Customers", "/console/customers"),
        new("Dead letters", "/console/dead-letters"),
        new("Recovery", "/console/recovery"),
        new("Anomalies", "/console/anomalies"),
        new("At risk", "/console/at-risk"),
        new("Orleans", "/console/orleans/"),
    ];
}

/// <summary>One entry of the nav bar.</summary>
public sealed record NavEntry(string Title, string Path);
