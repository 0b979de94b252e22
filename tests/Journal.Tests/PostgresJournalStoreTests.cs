using Billing.Journal.Postgres;
using Billing.Testing.Postgres;
using Microsoft.Extensions.DependencyInjection;

namespace Billing.Journal.Tests;

/// <summary>The journal contract on PostgreSQL, through the real group-commit writer.</summary>
public sealed class PostgresJournalStoreTests(PostgresJournalStoreTests.Fixture fixture)
    : JournalStoreContract, IClassFixture<PostgresJournalStoreTests.Fixture>
{
    protected override IJournalStore Store => fixture.Store;

    /// <summary>One migrated database and one silo's journal services for the class.</summary>
    public sealed class Fixture() : TestDatabaseFixture("journal_store")
    {
        private ServiceProvider? _services;

        public IJournalStore Store => _services!.GetRequiredService<IJournalStore>();

        public new async Task InitializeAsync()
        {
            await base.InitializeAsync();
            _services = JournalServices.Create(ConnectionString);
        }

        public new async Task DisposeAsync()
        {
            if (_services is not null)
            {
                await _services.DisposeAsync();
            }

            await base.DisposeAsync();
        }
    }
}
