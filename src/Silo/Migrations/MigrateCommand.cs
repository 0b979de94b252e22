using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Billing.Silo.Migrations;

/// <summary>
/// <c>dotnet run --project src/Silo -- migrate</c>: applies the schema to <c>ConnectionStrings:Billing</c>, then exits.
/// Configuration comes from the usual places (appsettings*.json, environment variables such as
/// <c>ConnectionStrings__Billing</c>, command line such as <c>--ConnectionStrings:Billing=...</c>).
/// </summary>
public static class MigrateCommand
{
    /// <summary>Exit code: the schema is up to date.</summary>
    public const int Succeeded = 0;

    /// <summary>Exit code: the database could not be reached, or a migration failed (and was rolled back).</summary>
    public const int Failed = 1;

    /// <summary>Exit code: the configuration is missing or invalid (no usable connection string).</summary>
    public const int InvalidConfiguration = 2;

    private const string ConnectionStringName = "Billing";

    /// <summary>Runs the command with the process's console; <paramref name="args"/> exclude the word <c>migrate</c>.</summary>
    public static Task<int> RunAsync(string[] args) => RunAsync(args, Console.Out, Console.Error);

    /// <summary>Runs the command, writing its report to <paramref name="output"/> and problems to <paramref name="error"/>.</summary>
    public static async Task<int> RunAsync(
        string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);

        var builder = Host.CreateApplicationBuilder(args);
        var connectionString = builder.Configuration.GetConnectionString(ConnectionStringName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            await error.WriteLineAsync(
                "migrate: ConnectionStrings:Billing is not set. Set it in appsettings.json, in the environment " +
                "(ConnectionStrings__Billing) or on the command line " +
                "(--ConnectionStrings:Billing=\"Host=...;Database=...;Username=...\").");
            return InvalidConfiguration;
        }

        NpgsqlConnectionStringBuilder settings;
        try
        {
            settings = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException exception)
        {
            // Npgsql names the offending keyword (e.g. "Max Pool Size", which Npgsql 10 spells "Maximum Pool Size").
            await error.WriteLineAsync($"migrate: ConnectionStrings:Billing is not a valid Npgsql connection string: {exception.Message}");
            return InvalidConfiguration;
        }

        var target = $"{settings.Host}:{settings.Port}, database '{settings.Database ?? settings.Username}'";
        builder.Services.AddSingleton(_ => NpgsqlDataSource.Create(settings));
        builder.Services.AddSingleton<MigrationRunner>();
        builder.Services.AddSingleton<LegacyStateCarryOver>();

        using var host = builder.Build();
        var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(MigrateCommand).FullName!);
        var dataSource = host.Services.GetRequiredService<NpgsqlDataSource>();

        try
        {
            // Connect once first, so that a failure past this point is a migration failing, not reachability.
            await using var probe = await dataSource.OpenConnectionAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is NpgsqlException or TimeoutException)
        {
            // The reason is all an operator needs here; the stack trace is noise.
            logger.LogError("Could not connect to PostgreSQL at {Target}: {Reason}", target, exception.Message);
            await error.WriteLineAsync($"migrate: could not connect to PostgreSQL at {target}: {exception.Message}");
            return Failed;
        }

        try
        {
            var runner = host.Services.GetRequiredService<MigrationRunner>();
            var applied = await runner.ApplyAsync(cancellationToken);
            var recorded = await runner.GetAppliedAsync(cancellationToken);
            var version = recorded.Count == 0 ? 0 : recorded[^1].Version;
            var carried = await host.Services.GetRequiredService<LegacyStateCarryOver>().RunAsync(DateTimeOffset.UtcNow, cancellationToken);
            if (carried > 0)
            {
                await output.WriteLineAsync($"migrate: carried {carried} customer state row(s) of an earlier version over to the journal");
            }

            if (applied.Count == 0)
            {
                await output.WriteLineAsync($"migrate: schema at {target} is up to date (version {version}); nothing to apply.");
            }
            else
            {
                foreach (var migration in applied)
                {
                    await output.WriteLineAsync($"migrate: applied {migration.Name}");
                }

                await output.WriteLineAsync($"migrate: schema at {target} is now at version {version}.");
            }

            return Succeeded;
        }
        catch (Exception exception) when (exception is NpgsqlException or TimeoutException)
        {
            // The runner has logged the details; the failed migration was rolled back.
            await error.WriteLineAsync($"migrate: migrating {target} failed: {exception.Message}");
            return Failed;
        }
    }
}
