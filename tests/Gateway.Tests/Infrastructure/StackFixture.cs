using Billing.Testing.Postgres;

namespace Billing.Gateway.Tests.Infrastructure;

/// <summary>One database and one running stack shared by the tests of a class (each test uses its own customers).</summary>
public sealed class StackFixture : IAsyncLifetime
{
    private TestDatabase? _database;
    private BillingStack? _stack;

    public BillingStack Stack => _stack ?? throw new InvalidOperationException("The stack is not started.");

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync("gateway");
        _stack = await BillingStack.StartAsync(_database);
    }

    public async Task DisposeAsync()
    {
        if (_stack is not null)
        {
            await _stack.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
