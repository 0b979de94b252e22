using Billing.Testing.Postgres;
using Npgsql;

namespace Billing.Silo.Tests.Migrations;

/// <summary>The stored queries and functions, checked directly in SQL where a silo cannot provoke the case.</summary>
public sealed class OrleansQueriesTests : IClassFixture<OrleansQueriesTests.Fixture>
{
    private readonly TestDatabase _database;

    public OrleansQueriesTests(Fixture fixture)
    {
        ArgumentNullException.ThrowIfNull(fixture);
        _database = fixture.Database;
    }

    [Fact]
    public async Task The_schema_holds_every_query_the_Orleans_10_providers_ask_for()
    {
        // Read from the 10.4.2 providers (DbStoredQueries and AdoNetGrainStorage.DefaultInitializationQuery).
        string[] expected =
        [
            // Microsoft.Orleans.Persistence.AdoNet (DeleteStorageKey only with DeleteStateOnClear)
            "WriteToStorageKey", "ReadFromStorageKey", "ClearStorageKey", "DeleteStorageKey",
            // Microsoft.Orleans.Clustering.AdoNet (CleanupDefunctSiloEntryKey optional, preferred when present)
            "InsertMembershipVersionKey", "InsertMembershipKey", "UpdateMembershipKey", "UpdateIAmAlivetimeKey",
            "MembershipReadRowKey", "MembershipReadAllKey", "GatewaysQueryKey", "DeleteMembershipTableEntriesKey",
            "CleanupDefunctSiloEntriesKey", "CleanupDefunctSiloEntryKey",
            // Microsoft.Orleans.Reminders.AdoNet
            "UpsertReminderRowKey", "ReadReminderRowKey", "ReadReminderRowsKey", "ReadRangeRows1Key", "ReadRangeRows2Key",
            "DeleteReminderRowKey", "DeleteReminderRowsKey",
        ];

        var keys = await _database.ListAsync("SELECT querykey FROM orleansquery", reader => reader.GetString(0));

        Assert.Equal(expected.Order(StringComparer.Ordinal), keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Concurrent_first_writes_of_one_grain_state_leave_a_single_row()
    {
        // Two activations of one grain (briefly possible after a silo is declared dead) both write first.
        var serviceId = $"race-{Guid.NewGuid():N}";
        await using var first = await _database.DataSource.OpenConnectionAsync();
        await using var second = await _database.DataSource.OpenConnectionAsync();
        await using var transaction = await first.BeginTransactionAsync();

        Assert.Equal(1, await FirstWriteAsync(first, serviceId, "first"));
        var secondWrite = FirstWriteAsync(second, serviceId, "second");
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        Assert.False(secondWrite.IsCompleted, "The second first-write should wait for the first to commit.");

        await transaction.CommitAsync();

        Assert.Null(await secondWrite.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(1L, await _database.ScalarAsync<long>(
            "SELECT count(*) FROM orleansstorage WHERE serviceid = @service", ("service", serviceId)));
    }

    [Fact]
    public async Task A_write_with_a_stale_version_changes_nothing_and_answers_the_version_it_was_given()
    {
        var serviceId = $"stale-{Guid.NewGuid():N}";
        await using var connection = await _database.DataSource.OpenConnectionAsync();
        Assert.Equal(1, await FirstWriteAsync(connection, serviceId, "v1"));
        Assert.Equal(2, await WriteAsync(connection, serviceId, 1, "v2"));

        Assert.Equal(1, await WriteAsync(connection, serviceId, 1, "stale"));

        Assert.Equal("v2", await _database.ScalarAsync<string>(
            "SELECT convert_from(payloadbinary, 'UTF8') FROM orleansstorage WHERE serviceid = @service", ("service", serviceId)));
    }

    [Fact]
    public async Task A_membership_write_with_a_stale_table_version_changes_nothing()
    {
        var clusterId = $"stale-{Guid.NewGuid():N}";
        await _database.ExecuteAsync("INSERT INTO orleansmembershipversiontable (deploymentid) VALUES (@cluster)", ("cluster", clusterId));

        Assert.Equal(1, await InsertMemberAsync(clusterId, port: 11111, version: 0));
        Assert.Equal(0, await InsertMemberAsync(clusterId, port: 11112, version: 0));
        Assert.Equal(0, await InsertMemberAsync(clusterId, port: 11111, version: 1));

        Assert.Equal(1, await _database.ScalarAsync<int>(
            "SELECT version FROM orleansmembershipversiontable WHERE deploymentid = @cluster", ("cluster", clusterId)));
        Assert.Equal(1L, await _database.ScalarAsync<long>(
            "SELECT count(*) FROM orleansmembershiptable WHERE deploymentid = @cluster", ("cluster", clusterId)));
    }

    private static Task<int?> FirstWriteAsync(NpgsqlConnection connection, string serviceId, string payload) =>
        WriteAsync(connection, serviceId, version: null, payload);

    private static async Task<int?> WriteAsync(NpgsqlConnection connection, string serviceId, int? version, string payload)
    {
        await using var command = new NpgsqlCommand(
            "SELECT writetostorage(42, 0, 0, 7, 'race-state', 'customer-1', @service, @version, @payload)", connection);
        command.Parameters.AddWithValue("service", serviceId);
        command.Parameters.Add(new NpgsqlParameter<int?>("version", version));
        command.Parameters.AddWithValue("payload", System.Text.Encoding.UTF8.GetBytes(payload));
        return await command.ExecuteScalarAsync() is int written ? written : null;
    }

    private Task<int> InsertMemberAsync(string clusterId, int port, int version) =>
        _database.ScalarAsync<int>(
            """
            SELECT insert_membership(@cluster, '127.0.0.1', @port, 1, 'silo', 'host', 3, 0, now(), now(), @version)
            """,
            ("cluster", clusterId),
            ("port", port),
            ("version", version));

    public sealed class Fixture() : TestDatabaseFixture("queries");
}
