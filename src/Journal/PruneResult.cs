namespace Billing.Journal;

/// <summary>What one pruning step did.</summary>
/// <param name="LastCustomerId">The last customer it looked at (the next step starts after it); null when it reached the end.</param>
/// <param name="Customers">How many customers it looked at.</param>
/// <param name="DeletedEntries">How many journal entries it deleted.</param>
public sealed record PruneResult(string? LastCustomerId, int Customers, long DeletedEntries);
