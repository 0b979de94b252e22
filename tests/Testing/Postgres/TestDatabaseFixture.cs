using Xunit;

namespace Billing.Testing.Postgres;

/// <summary>
/// An xunit fixture (<c>IClassFixture&lt;TestDatabaseFixture&gt;</c>) owning one migrated <see cref="TestDatabase"/>
/// for all the tests of a class. Derive from it to name the database after its purpose.
/// </summary>
public class TestDatabaseFixture : IAsyncLifetime
{
    private readonly string _purpose;
    private TestDatabase? _database;

    /// <summary>A fixture whose database is named after the purpose "fixture".</summary>
    public TestDatabaseFixture()
        : this("fixture")
    {
    }

    /// <summary>A fixture whose database is named after <paramref name="purpose"/>.</summary>
    protected TestDatabaseFixture(string purpose) => _purpose = purpose;

    /// <summary>The migrated database.</summary>
    /// <exception cref="InvalidOperationException">xunit has not initialized the fixture yet.</exception>
    public TestDatabase Database => _database ?? throw new InvalidOperationException("The fixture has not been initialized.");

    /// <summary>The database's connection string.</summary>
    public string ConnectionString => Database.ConnectionString;

    /// <inheritdoc />
    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync(_purpose);

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
