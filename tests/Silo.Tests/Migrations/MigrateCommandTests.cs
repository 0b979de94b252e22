using Billing.Silo.Migrations;
using Billing.Testing.Postgres;

namespace Billing.Silo.Tests.Migrations;

public sealed class MigrateCommandTests
{
    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await MigrateCommand.RunAsync(args, output, error);
        return (exitCode, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Migrate_applies_the_schema_and_exits_0_and_a_second_run_applies_nothing()
    {
        await using var database = await TestDatabase.CreateEmptyAsync("command");

        var first = await RunAsync($"--ConnectionStrings:Billing={database.ConnectionString}");
        var second = await RunAsync($"--ConnectionStrings:Billing={database.ConnectionString}");

        Assert.Equal(MigrateCommand.Succeeded, first.ExitCode);
        Assert.Contains("applied 0001_orleans_main", first.Output, StringComparison.Ordinal);
        Assert.Contains("applied 0004_orleans_reminders", first.Output, StringComparison.Ordinal);
        Assert.Equal(EmbeddedMigrations.All.Select(migration => migration.Version), await database.RecordedVersionsAsync());
        Assert.Equal(MigrateCommand.Succeeded, second.ExitCode);
        Assert.Contains("up to date", second.Output, StringComparison.Ordinal);
        Assert.Empty(second.Error);
    }

    [Fact]
    public async Task Migrate_exits_2_without_a_connection_string()
    {
        // Set empty on the command line so that no appsettings.json or environment variable can fill it in.
        var result = await RunAsync("--ConnectionStrings:Billing=");

        Assert.Equal(MigrateCommand.InvalidConfiguration, result.ExitCode);
        Assert.Contains("ConnectionStrings:Billing is not set", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Migrate_exits_2_for_a_connection_string_npgsql_rejects()
    {
        var result = await RunAsync("--ConnectionStrings:Billing=Host=127.0.0.1;Max Pool Size=10");

        Assert.Equal(MigrateCommand.InvalidConfiguration, result.ExitCode);
        Assert.Contains("not a valid Npgsql connection string", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Migrate_exits_1_when_the_database_is_unreachable()
    {
        // Port 1 on loopback: nothing listens there, the connection is refused at once.
        var result = await RunAsync("--ConnectionStrings:Billing=Host=127.0.0.1;Port=1;Username=postgres;Timeout=5");

        Assert.Equal(MigrateCommand.Failed, result.ExitCode);
        Assert.Contains("could not connect to PostgreSQL at 127.0.0.1:1", result.Error, StringComparison.Ordinal);
    }
}
