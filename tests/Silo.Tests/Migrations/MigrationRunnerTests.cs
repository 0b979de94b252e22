using Billing.Silo.Migrations;
using Billing.Testing.Postgres;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Billing.Silo.Tests.Migrations;

public sealed class MigrationRunnerTests
{
    private static MigrationRunner Runner(TestDatabase database) =>
        new(database.DataSource, NullLogger<MigrationRunner>.Instance);

    [Fact]
    public async Task A_fresh_database_gets_every_migration()
    {
        await using var database = await TestDatabase.CreateEmptyAsync("runner_fresh");

        var applied = await Runner(database).ApplyAsync();

        var expected = EmbeddedMigrations.All.Select(migration => migration.Version).ToList();
        Assert.Equal(expected, applied.Select(migration => migration.Version));
        Assert.Equal(expected, await database.RecordedVersionsAsync());
        Assert.Equal(
            EmbeddedMigrations.All.Select(migration => migration.Name),
            (await Runner(database).GetAppliedAsync()).Select(migration => migration.Name));
        foreach (var table in new[] { "orleansquery", "orleansstorage", "orleansmembershiptable", "orleansreminderstable" })
        {
            Assert.True(await database.TableExistsAsync(table), table);
        }
    }

    [Fact]
    public async Task Running_migrations_twice_applies_nothing_the_second_time()
    {
        await using var database = await TestDatabase.CreateEmptyAsync("runner_twice");
        await Runner(database).ApplyAsync();
        var recordedAfterFirstRun = await Runner(database).GetAppliedAsync();

        var secondRun = await Runner(database).ApplyAsync();

        Assert.Empty(secondRun);
        Assert.Equal(recordedAfterFirstRun, await Runner(database).GetAppliedAsync());
    }

    [Fact]
    public async Task Migrations_added_later_are_applied_on_the_next_run()
    {
        await using var database = await TestDatabase.CreateEmptyAsync("runner_upgrade");
        await Runner(database).ApplyAsync(EmbeddedMigrations.All.Take(2).ToList());

        var applied = await Runner(database).ApplyAsync();

        Assert.Equal(EmbeddedMigrations.All.Skip(2).Select(migration => migration.Version), applied.Select(migration => migration.Version));
        Assert.Equal(EmbeddedMigrations.All.Select(migration => migration.Version), await database.RecordedVersionsAsync());
    }

    [Fact]
    public async Task Two_runners_started_at_once_apply_each_script_exactly_once()
    {
        await using var database = await TestDatabase.CreateEmptyAsync("runner_concurrent");
        // Separate data sources: two processes, not two callers sharing a pool.
        await using var first = NpgsqlDataSource.Create(database.ConnectionString);
        await using var second = NpgsqlDataSource.Create(database.ConnectionString);
        using var start = new Barrier(2);

        Task<IReadOnlyList<AppliedMigration>> Run(NpgsqlDataSource dataSource) => Task.Run(() =>
        {
            start.SignalAndWait(TimeSpan.FromSeconds(10));
            return new MigrationRunner(dataSource, NullLogger<MigrationRunner>.Instance).ApplyAsync();
        });

        var results = await Task.WhenAll(Run(first), Run(second));

        var appliedByEither = results.SelectMany(applied => applied).Select(migration => migration.Version).Order();
        Assert.Equal(EmbeddedMigrations.All.Select(migration => migration.Version), appliedByEither);
        Assert.Equal(EmbeddedMigrations.All.Select(migration => migration.Version), await database.RecordedVersionsAsync());
    }

    [Fact]
    public async Task A_runner_waits_while_another_holds_the_migration_lock()
    {
        await using var database = await TestDatabase.CreateEmptyAsync("runner_lock");
        await using var holder = await database.DataSource.OpenConnectionAsync();
        await using (var take = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", holder))
        {
            take.Parameters.AddWithValue("key", MigrationRunner.LockKey);
            await take.ExecuteNonQueryAsync();
        }

        var waiting = Runner(database).ApplyAsync();
        await Task.Delay(TimeSpan.FromMilliseconds(750));

        Assert.False(waiting.IsCompleted);
        Assert.False(await database.TableExistsAsync(MigrationRunner.HistoryTable));

        await using (var release = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", holder))
        {
            release.Parameters.AddWithValue("key", MigrationRunner.LockKey);
            await release.ExecuteNonQueryAsync();
        }

        Assert.Equal(EmbeddedMigrations.All.Count, (await waiting.WaitAsync(TimeSpan.FromSeconds(10))).Count);
    }

    [Fact]
    public async Task A_failing_migration_is_rolled_back_and_stops_the_run()
    {
        await using var database = await TestDatabase.CreateEmptyAsync("runner_failure");
        Migration[] migrations =
        [
            new(1, "0001_good", "CREATE TABLE good (id integer);"),
            new(2, "0002_bad", "CREATE TABLE half_done (id integer);\nSELECT 1 / 0;"),
            new(3, "0003_never", "CREATE TABLE never (id integer);"),
        ];

        var failure = await Assert.ThrowsAsync<PostgresException>(() => Runner(database).ApplyAsync(migrations));

        Assert.Equal(PostgresErrorCodes.DivisionByZero, failure.SqlState);
        Assert.Equal([1], await database.RecordedVersionsAsync());
        Assert.True(await database.TableExistsAsync("good"));
        Assert.False(await database.TableExistsAsync("half_done"));
        Assert.False(await database.TableExistsAsync("never"));

        // The lock was released: the next run proceeds (and fails on the same script again).
        await Assert.ThrowsAsync<PostgresException>(() => Runner(database).ApplyAsync(migrations).WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task A_test_database_is_dropped_when_disposed()
    {
        var database = await TestDatabase.CreateAsync("dropped");
        var name = database.Name;

        await database.DisposeAsync();

        await using var admin = new NpgsqlConnection(TestPostgres.AdminConnectionString);
        await admin.OpenAsync();
        await using var exists = new NpgsqlCommand("SELECT count(*) FROM pg_database WHERE datname = @name", admin);
        exists.Parameters.AddWithValue("name", name);
        Assert.Equal(0L, await exists.ExecuteScalarAsync());
    }
}
