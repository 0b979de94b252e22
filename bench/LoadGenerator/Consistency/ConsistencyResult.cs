namespace Billing.Bench.LoadGenerator.Consistency;

/// <summary>The consistency check of one target after its load.</summary>
/// <param name="Target">product, product-memory or baseline.</param>
/// <param name="Scope">Which loads: one level's (its connections), or all of the target's.</param>
/// <param name="Method">How it was checked.</param>
/// <param name="Checked">Customers (product) or rows (baseline) compared.</param>
/// <param name="Matched">How many agreed.</param>
/// <param name="Excluded">Customers left out because an event of theirs was never acknowledged (its effect is unknown).</param>
/// <param name="Mismatches">Every disagreement.</param>
internal sealed record ConsistencyResult(
    string Target,
    string Scope,
    string Method,
    long Checked,
    long Matched,
    int Excluded,
    IReadOnlyList<Mismatch> Mismatches)
{
    /// <summary>Nothing disagreed.</summary>
    public bool Passed => Mismatches.Count == 0 && Checked == Matched;
}
