using Billing.Testing.Postgres;
using Npgsql;

namespace Billing.Silo.Tests.Migrations;

/// <summary>Small helpers to look at a test database from the outside.</summary>
internal static class DatabaseQueries
{
    public static async Task<T?> ScalarAsync<T>(this TestDatabase database, string sql, params (string Name, object? Value)[] parameters)
    {
        await using var command = database.DataSource.CreateCommand(sql);
        AddParameters(command, parameters);
        var value = await command.ExecuteScalarAsync();
        return value is null or DBNull ? default : (T)value;
    }

    public static async Task<List<T>> ListAsync<T>(
        this TestDatabase database, string sql, Func<NpgsqlDataReader, T> read, params (string Name, object? Value)[] parameters)
    {
        await using var command = database.DataSource.CreateCommand(sql);
        AddParameters(command, parameters);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<T>();
        while (await reader.ReadAsync())
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    public static async Task ExecuteAsync(this TestDatabase database, string sql, params (string Name, object? Value)[] parameters)
    {
        await using var command = database.DataSource.CreateCommand(sql);
        AddParameters(command, parameters);
        await command.ExecuteNonQueryAsync();
    }

    public static Task<List<int>> RecordedVersionsAsync(this TestDatabase database) =>
        database.ListAsync("SELECT version FROM billing_schema_migrations ORDER BY version", reader => reader.GetInt32(0));

    public static async Task<bool> TableExistsAsync(this TestDatabase database, string table) =>
        await database.ScalarAsync<bool>("SELECT to_regclass(@table) IS NOT NULL", ("table", table));

    private static void AddParameters(NpgsqlCommand command, (string Name, object? Value)[] parameters)
    {
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }
    }
}
