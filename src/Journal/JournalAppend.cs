using Billing.Grains.Journal;

namespace Billing.Journal;

/// <summary>One customer's entries to append, all or nothing, if the head is still at <paramref name="ExpectedVersion"/>.</summary>
/// <param name="CustomerId">The customer.</param>
/// <param name="ExpectedVersion">The head version the entries follow (0 for a customer's first append).</param>
/// <param name="Entries">The entries, versions <c>ExpectedVersion + 1</c> onwards, without gaps.</param>
/// <param name="Head">The head after the append.</param>
public sealed record JournalAppend(string CustomerId, long ExpectedVersion, IReadOnlyList<JournalEntry> Entries, JournalHead Head)
{
    /// <summary>Checks that the entries follow the expected version and the head follows the entries.</summary>
    /// <exception cref="ArgumentException">They do not.</exception>
    public void Validate()
    {
        if (Entries.Count == 0)
        {
            throw new ArgumentException("an append needs at least one entry");
        }

        for (var i = 0; i < Entries.Count; i++)
        {
            if (Entries[i].Version != ExpectedVersion + 1 + i || Entries[i].CustomerId != CustomerId)
            {
                throw new ArgumentException($"entry {i} of {CustomerId} has version {Entries[i].Version}, expected {ExpectedVersion + 1 + i}");
            }
        }

        if (Head.Version != ExpectedVersion + Entries.Count)
        {
            throw new ArgumentException($"the head of {CustomerId} must move to {ExpectedVersion + Entries.Count}, not {Head.Version}");
        }
    }
}
