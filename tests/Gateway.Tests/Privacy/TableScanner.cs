using Npgsql;

namespace Billing.Gateway.Tests.Privacy;

/// <summary>
/// Reads every value of every table in a database's public schema as text (bytea as escaped text, so JSON stored as
/// bytes, like Orleans' grain state, is readable) and reports which tables contain a given string.
/// </summary>
internal static class TableScanner
{
    public static async Task<IReadOnlyList<string>> TablesContainingAsync(NpgsqlDataSource database, IReadOnlyCollection<string> needles)
    {
        var columns = new List<(string Table, string Column, string Type)>();
        await using (var command = database.CreateCommand(
            "SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, ordinal_position"))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                columns.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2)));
            }
        }

        var found = new List<string>();
        foreach (var table in columns.GroupBy(c => c.Table))
        {
            var values = string.Join(" || ' ' || ", table.Select(c => c.Type == "bytea"
                ? $"coalesce(encode(\"{c.Column}\", 'escape'), '')"
                : $"coalesce(\"{c.Column}\"::text, '')"));
            await using var command = database.CreateCommand($"SELECT {values} FROM \"{table.Key}\"");
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var row = reader.GetString(0);
                foreach (var needle in needles.Where(n => row.Contains(n, StringComparison.OrdinalIgnoreCase)))
                {
                    found.Add($"{table.Key}: {needle}");
                }
            }
        }

        return [.. found.Distinct(StringComparer.Ordinal)];
    }
}
