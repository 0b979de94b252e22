using System.Text.Json;
using Billing.Testing.Postgres;
using Microsoft.Extensions.DependencyInjection;

namespace Billing.Silo.Tests.Migrations;

/// <summary>
/// Real silos and clients on the ADO.NET providers over a freshly migrated database: the proof that the
/// schema is what Orleans 10 needs. Each test has its own database, ClusterId and ServiceId.
/// </summary>
public sealed class OrleansOnMigratedSchemaTests : IAsyncLifetime
{
    private const int Active = 3;
    private const int Dead = 6;

    // A Stripe Connect style key, long enough that "<grain type>/<key>" exceeds upstream's 150 characters.
    private readonly string _grainKey = $"acct_{new string('a', 90)}/cus_{Guid.NewGuid():N}{new string('b', 90)}";
    private readonly string _clusterId = $"cluster-{Guid.NewGuid():N}";
    private readonly string _serviceId = $"service-{Guid.NewGuid():N}";
    private TestDatabase? _database;

    private TestDatabase Database => _database ?? throw new InvalidOperationException("Not initialized.");

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync("orleans");

        // Orleans binds times as DbType.DateTime; Npgsql 10 sends that as timestamptz (UTC). Were it ever sent as
        // timestamp without time zone, PostgreSQL would convert it with the session's time zone: run the
        // silos against a database whose time zone is far from UTC to catch that.
        await _database.ExecuteAsync($"ALTER DATABASE \"{_database.Name}\" SET timezone TO 'Pacific/Chatham'");
    }

    public async Task DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_silo_and_a_client_keep_grain_state_and_reminders_in_the_migrated_schema()
    {
        await using var silo = await OrleansTestHost.StartSiloAsync(Database.ConnectionString, _clusterId, _serviceId);

        Assert.Contains((silo.SiloPort, Active), await MembersAsync());
        Assert.True(
            await Database.ScalarAsync<bool>(
                "SELECT bool_and(abs(extract(epoch FROM now() - starttime)) < 120) FROM orleansmembershiptable WHERE deploymentid = @cluster",
                ("cluster", _clusterId)),
            "Membership times must be stored as the UTC instants Orleans sent.");

        // The client finds the silo through GatewaysQueryKey.
        await using var client = await OrleansTestHost.StartClientAsync(Database.ConnectionString, _clusterId, _serviceId);
        var grain = client.GrainFactory.GetGrain<IMigrationProbeGrain>(_grainKey);

        await grain.WriteAsync("hello");
        var beforeDeactivation = await grain.GetAsync();
        await grain.DeactivateAsync();
        var afterReactivation = await grain.GetAsync();

        Assert.NotEqual(beforeDeactivation.ActivationId, afterReactivation.ActivationId);
        Assert.Equal(("hello", 1, true, "1"), (afterReactivation.Note, afterReactivation.Writes, afterReactivation.RecordExists, afterReactivation.ETag));

        var row = Assert.Single(await StorageRowsAsync());
        Assert.Equal((MigrationProbeGrain.StateName, _grainKey, 1), (row.StateName, row.Key, row.Version));
        Assert.DoesNotContain("$type", row.Json, StringComparison.Ordinal);
        var stored = JsonSerializer.Deserialize<ProbeState>(row.Json!, JsonSerializerOptions.Web)!;
        Assert.Equal(("hello", 1), (stored.Note, stored.Writes));

        await grain.RegisterReminderAsync(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));

        var reminder = Assert.Single(await Database.ListAsync(
            "SELECT grainid, remindername, period FROM orleansreminderstable WHERE serviceid = @service",
            reader => (GrainId: reader.GetString(0), Name: reader.GetString(1), Period: reader.GetInt64(2)),
            ("service", _serviceId)));
        Assert.Equal(($"migrationprobe/{_grainKey}", MigrationProbeGrain.ReminderName, 60_000L), reminder);
        Assert.True(
            await Database.ScalarAsync<bool>(
                "SELECT abs(extract(epoch FROM starttime - now()) - 1) < 60 FROM orleansreminderstable WHERE serviceid = @service",
                ("service", _serviceId)),
            "A reminder due in a second must be stored as starting about now (UTC).");

        await WaitUntilAsync(async () => await grain.GetReminderTicksAsync() > 0, TimeSpan.FromSeconds(15));

        Assert.True(await grain.UnregisterReminderAsync());
        Assert.Equal(0L, await Database.ScalarAsync<long>(
            "SELECT count(*) FROM orleansreminderstable WHERE serviceid = @service", ("service", _serviceId)));
    }

    [Fact]
    public async Task Grain_state_survives_a_restart_of_the_cluster_and_dead_silos_are_cleaned_up()
    {
        var firstSilo = await OrleansTestHost.StartSiloAsync(Database.ConnectionString, _clusterId, _serviceId);
        var firstPort = firstSilo.SiloPort;
        await using (firstSilo)
        {
            await firstSilo.GrainFactory.GetGrain<IMigrationProbeGrain>(_grainKey).WriteAsync("before the restart");
        }

        Assert.Contains((firstPort, Dead), await MembersAsync());

        await using var secondSilo = await OrleansTestHost.StartSiloAsync(Database.ConnectionString, _clusterId, _serviceId);
        var grain = secondSilo.GrainFactory.GetGrain<IMigrationProbeGrain>(_grainKey);

        var restored = await grain.GetAsync();
        Assert.Equal(("before the restart", 1, "1"), (restored.Note, restored.Writes, restored.ETag));
        await grain.WriteAsync("after the restart");
        Assert.Equal(2, Assert.Single(await StorageRowsAsync()).Version);

        // What the membership cleanup agent does once Dead rows are old enough (CleanupDefunctSiloEntryKey).
        var membershipTable = secondSilo.Services.GetRequiredService<IMembershipTable>();
        await membershipTable.CleanupDefunctSiloEntriesAsync(DateTimeOffset.UtcNow.AddSeconds(1));

        var members = await MembersAsync();
        Assert.DoesNotContain(members, member => member.Port == firstPort);
        Assert.Contains((secondSilo.SiloPort, Active), members);
    }

    [Fact]
    public async Task Clearing_state_keeps_a_versioned_empty_row_unless_the_provider_deletes_on_clear()
    {
        await using var silo = await OrleansTestHost.StartSiloAsync(Database.ConnectionString, _clusterId, _serviceId);
        var grain = silo.GrainFactory.GetGrain<IMigrationProbeGrain>(_grainKey);

        // Provider "test": ClearStorageKey empties the row and bumps its version.
        await grain.WriteAsync("to be cleared");
        await grain.ClearAsync();
        var cleared = await grain.GetAsync();
        Assert.Equal((null, false, "2"), (cleared.Note, cleared.RecordExists, cleared.ETag));
        var tombstone = Assert.Single(await StorageRowsAsync(MigrationProbeGrain.StateName));
        Assert.Equal((null, 2), (tombstone.Json, tombstone.Version));

        await grain.WriteAsync("written again");
        Assert.Equal(3, Assert.Single(await StorageRowsAsync(MigrationProbeGrain.StateName)).Version);

        // Provider "test-delete" (DeleteStateOnClear = true): DeleteStorageKey removes the row.
        await grain.WriteScratchAsync("scratch");
        Assert.Single(await StorageRowsAsync(MigrationProbeGrain.ScratchStateName));
        await grain.ClearScratchAsync();
        Assert.Empty(await StorageRowsAsync(MigrationProbeGrain.ScratchStateName));

        await grain.WriteScratchAsync("scratch again");
        Assert.Equal(1, Assert.Single(await StorageRowsAsync(MigrationProbeGrain.ScratchStateName)).Version);
    }

    private Task<List<(int Port, int Status)>> MembersAsync() =>
        Database.ListAsync(
            "SELECT port, status FROM orleansmembershiptable WHERE deploymentid = @cluster",
            reader => (reader.GetInt32(0), reader.GetInt32(1)),
            ("cluster", _clusterId));

    private Task<List<(string StateName, string? Key, string? Json, int Version)>> StorageRowsAsync(
        string stateName = MigrationProbeGrain.StateName) =>
        Database.ListAsync(
            """
            SELECT graintypestring, grainidextensionstring, convert_from(payloadbinary, 'UTF8'), version
            FROM orleansstorage
            WHERE serviceid = @service AND graintypestring = @state
            """,
            reader => (
                reader.GetString(0),
                reader.IsDBNull(1) ? null : reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.GetInt32(3)),
            ("service", _serviceId),
            ("state", stateName));

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"The condition did not hold within {timeout}.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }
    }
}
