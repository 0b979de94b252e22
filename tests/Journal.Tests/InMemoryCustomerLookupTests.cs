using Billing.Journal.InMemory;

namespace Billing.Journal.Tests;

/// <summary>The search in memory: a scan through the store's own reads.</summary>
public sealed class InMemoryCustomerLookupTests : CustomerLookupContract
{
    public InMemoryCustomerLookupTests()
    {
        Store = new InMemoryJournalStore(TimeProvider.System);
        Lookup = new InMemoryCustomerLookup(Store);
    }

    protected override IJournalStore Store { get; }

    protected override ICustomerLookup Lookup { get; }
}
