using Microsoft.Extensions.DependencyInjection;

namespace Billing.Journal.Tests;

/// <summary>The search on PostgreSQL (migration 0011's indexes), as a silo registers it.</summary>
public sealed class PostgresCustomerLookupTests(PostgresJournalStoreTests.Fixture fixture)
    : CustomerLookupContract, IClassFixture<PostgresJournalStoreTests.Fixture>
{
    protected override IJournalStore Store => fixture.Store;

    protected override ICustomerLookup Lookup => fixture.Services.GetRequiredService<ICustomerLookup>();
}
