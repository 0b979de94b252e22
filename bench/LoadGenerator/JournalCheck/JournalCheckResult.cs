namespace Billing.Bench.LoadGenerator.JournalCheck;

/// <summary>What <c>verify-journal</c> said about the product's database after the run.</summary>
/// <param name="Database">The database it folded.</param>
/// <param name="ExitCode">Its exit code: 0 when nothing drifted.</param>
/// <param name="Line">Its summary line, as printed.</param>
/// <param name="Customers">Customers whose journal was folded again (null: no summary line).</param>
/// <param name="Entries">Entries folded again.</param>
/// <param name="Mismatches">Entries whose recorded effects the fold no longer reproduces.</param>
/// <param name="SkippedCustomers">Customers skipped because their journal was pruned.</param>
/// <param name="Examples">The mismatches it showed.</param>
internal sealed record JournalCheckResult(
    string Database,
    int ExitCode,
    string? Line,
    long? Customers,
    long? Entries,
    long? Mismatches,
    long? SkippedCustomers,
    IReadOnlyList<string> Examples)
{
    /// <summary>Nothing drifted, and the command said so.</summary>
    public bool Passed => ExitCode == 0 && Mismatches == 0;
}
