using Billing.Journal.InMemory;

namespace Billing.Journal.Tests;

/// <summary>The journal contract in memory.</summary>
public sealed class InMemoryJournalStoreTests : JournalStoreContract
{
    protected override IJournalStore Store { get; } = new InMemoryJournalStore(TimeProvider.System);
}
