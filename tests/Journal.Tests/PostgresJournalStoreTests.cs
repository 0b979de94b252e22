using Billing.Testing.Postgres;
using Microsoft.Extensions.DependencyInjection;

namespace Billing.Journal.Tests;

/// <summary>The journal contract on PostgreSQL, through the real group-commit writer.</summary>
public sealed class PostgresJournalStoreTests(PostgresJournalStoreTests.Fixture fixture)
    : JournalStoreContract, IClassFixture<PostgresJournalStoreTests.Fixture>
{
    protected override IJournalStore Store => fixture.Store;

    /// <summary>One migrated database and one silo's journal services for the class.</summary>
    public sealed class Fixture : IAsyncLifetime
    {
        private TestDatabase? _database;
        private ServiceProvider? _services;

        public IJournalStore Store => _services!.GetRequiredService<IJournalStore>();

        public IServiceProvider Services => _services!;

        public async Task InitializeAsync()
        {
            _database = await TestDatabase.CreateAsync("journal_store");
            _services = JournalServices.Create(_database.ConnectionString);
        }

        public async Task DisposeAsync()
        {
            if (_services is not null)
            {
                await _services.DisposeAsync();
            }

            if (_database is not null)
            {
                await _database.DisposeAsync();
            }
        }
    }
}
