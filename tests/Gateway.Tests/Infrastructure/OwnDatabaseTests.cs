using Billing.Testing.Postgres;

namespace Billing.Gateway.Tests.Infrastructure;

/// <summary>
/// Tests that start stacks of their own (own settings, restarts, injected faults), each test on a fresh database
/// named after <paramref name="purpose"/>.
/// </summary>
public abstract class OwnDatabaseTests(string purpose) : IAsyncLifetime
{
    private TestDatabase? _database;

    protected TestDatabase Database => _database ?? throw new InvalidOperationException("The database is not created.");

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync(purpose);

    public async Task DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
