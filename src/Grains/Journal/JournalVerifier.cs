using Billing.Grains.Customers;
using Billing.Journal;

namespace Billing.Grains.Journal;

/// <summary>
/// Folds every customer's journal again from its first entry and compares what the fold decides now with the effects
/// recorded then: any difference means the fold is not the deterministic function of the journal it must be (a clock
/// or a lookup slipped in), or that the configuration changed since. <c>verify-journal</c> runs it on a database;
/// the drift test runs it after a generated load.
/// </summary>
public sealed class JournalVerifier(IJournalStore journal, BillingOptions options)
{
    private const int Page = 1_000;
    private const int MaxExamples = 20;

    /// <summary>Verifies every journaled customer.</summary>
    public async Task<JournalVerification> VerifyAsync(CancellationToken cancellationToken = default)
    {
        var customers = 0;
        var skipped = 0;
        long entries = 0;
        long mismatches = 0;
        var examples = new List<string>();
        for (string? after = null; ;)
        {
            var page = await journal.ListCustomersAsync(after, Page, cancellationToken);
            foreach (var customerId in page)
            {
                customers++;
                var (checkedEntries, customerMismatches, complete) = await VerifyCustomerAsync(customerId, examples, cancellationToken);
                entries += checkedEntries;
                mismatches += customerMismatches;
                skipped += complete ? 0 : 1;
            }

            if (page.Count < Page)
            {
                return new JournalVerification(customers, entries, skipped, mismatches, examples);
            }

            after = page[^1];
        }
    }

    private async Task<(long Entries, long Mismatches, bool Complete)> VerifyCustomerAsync(string customerId, List<string> examples,
        CancellationToken cancellationToken)
    {
        var state = new CustomerState();
        long version = 0;
        long mismatches = 0;
        while (true)
        {
            var page = await journal.ReadAsync(customerId, version, long.MaxValue, Page, withFacts: true, cancellationToken);
            foreach (var entry in page)
            {
                if (entry.Version != version + 1)
                {
                    return (version, mismatches, false); // pruned: the fold cannot start from the beginning
                }

                var refolded = CustomerFold.Apply(state, customerId, entry.RecordedAt, FactsJson.Deserialize(entry.Facts), options);
                var expected = JournalJson.Serialize(entry.Effects);
                var actual = JournalJson.Serialize(refolded);
                if (!string.Equals(expected, actual, StringComparison.Ordinal))
                {
                    mismatches++;
                    if (examples.Count < MaxExamples)
                    {
                        examples.Add($"{customerId} v{entry.Version} ({entry.Type}): recorded {expected}, folds to {actual}");
                    }
                }

                version = entry.Version;
            }

            if (page.Count < Page)
            {
                return (version, mismatches, true);
            }
        }
    }
}

/// <summary>What <see cref="JournalVerifier"/> found.</summary>
/// <param name="Customers">Customers looked at.</param>
/// <param name="Entries">Entries folded again.</param>
/// <param name="SkippedCustomers">Customers whose journal no longer starts at version 1 (pruned), not verified.</param>
/// <param name="Mismatches">Entries whose effects the fold no longer reproduces.</param>
/// <param name="Examples">The first few mismatches, described.</param>
public sealed record JournalVerification(int Customers, long Entries, int SkippedCustomers, long Mismatches, IReadOnlyList<string> Examples);
