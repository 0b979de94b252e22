using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Billing.Silo.Migrations;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Billing.Testing.Postgres;

/// <summary>
/// A fresh, uniquely named database on the test server (<see cref="TestPostgres"/>), dropped on dispose.
/// <see cref="CreateAsync"/> applies the project's migrations with the real <see cref="MigrationRunner"/>.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    // PostgreSQL truncates identifiers beyond 63 bytes; keep "billing_test_<purpose>_<8 hex>" within it.
    private const int MaxPurposeLength = 63 - 13 - 9;

    private int _disposed;

    private TestDatabase(string name, string connectionString)
    {
        Name = name;
        ConnectionString = connectionString;
        DataSource = NpgsqlDataSource.Create(connectionString);
    }

    /// <summary>The database's name, <c>billing_test_&lt;purpose&gt;_&lt;8 hex digits&gt;</c>.</summary>
    public string Name { get; }

    /// <summary>A connection string to this database, with the test server's admin credentials.</summary>
    public string ConnectionString { get; }

    /// <summary>A data source for <see cref="ConnectionString"/>, disposed with the database.</summary>
    public NpgsqlDataSource DataSource { get; }

    /// <summary>Creates a database for <paramref name="purpose"/> and applies every migration to it.</summary>
    /// <exception cref="InvalidOperationException"><see cref="TestPostgres.EnvironmentVariable"/> is not set.</exception>
    public static async Task<TestDatabase> CreateAsync(string purpose, CancellationToken cancellationToken = default)
    {
        var database = await CreateEmptyAsync(purpose, cancellationToken);
        try
        {
            await new MigrationRunner(database.DataSource, NullLogger<MigrationRunner>.Instance).ApplyAsync(cancellationToken);
            return database;
        }
        catch
        {
            await database.DisposeAsync();
            throw;
        }
    }

    /// <summary>Creates an empty database for <paramref name="purpose"/>: no migrations applied.</summary>
    /// <exception cref="InvalidOperationException"><see cref="TestPostgres.EnvironmentVariable"/> is not set.</exception>
    public static async Task<TestDatabase> CreateEmptyAsync(string purpose, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(purpose);
        var admin = TestPostgres.AdminConnectionString;
        var name = UniqueName(purpose);

        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync(cancellationToken);
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        var connectionString = new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString;
        return new TestDatabase(name, connectionString);
    }

    /// <summary>Drops the database, closing whatever connections are still open to it.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await DataSource.DisposeAsync();

        // Orleans' providers open connections from this connection string through Npgsql's global pools.
        await using (var pooled = new NpgsqlConnection(ConnectionString))
        {
            NpgsqlConnection.ClearPool(pooled);
        }

        await using var connection = new NpgsqlConnection(TestPostgres.AdminConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }

    /// <inheritdoc />
    public override string ToString() => Name;

    private static string UniqueName(string purpose)
    {
        var cleaned = new StringBuilder(purpose.Length);
        foreach (var character in purpose.ToLowerInvariant())
        {
            cleaned.Append(character is (>= 'a' and <= 'z') or (>= '0' and <= '9') ? character : '_');
        }

        var slug = cleaned.ToString();
        if (slug.Length > MaxPurposeLength)
        {
            slug = slug[..MaxPurposeLength];
        }

        var suffix = Convert.ToHexString(RandomNumberGenerator.GetBytes(4)).ToLower(CultureInfo.InvariantCulture);
        return $"billing_test_{slug}_{suffix}";
    }
}
