using System.Diagnostics.Metrics;
using Billing.Testing.Network;
using Billing.Testing.Postgres;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Billing.Journal.Tests;

/// <summary>
/// The group-commit writer on a real PostgreSQL: many customers' appends in few transactions, a conflict or a
/// duplicate that fails only its own customer, and a connection lost mid-commit that leaves nothing half-written.
/// To put several appends into one batch deterministically, a test holds a head row locked from another session:
/// the writer's statement waits on it, and what is appended meanwhile queues up for the next batch.
/// </summary>
public sealed class GroupCommitWriterTests : IAsyncLifetime
{
    private TestDatabase? _database;
    private ServiceProvider? _services;

    private IJournalStore Store => _services!.GetRequiredService<IJournalStore>();

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync("group_commit");
        _services = JournalServices.Create(_database.ConnectionString, new Dictionary<string, string?> { ["Billing:Journal:CommitTimeout"] = "00:00:30" });
    }

    public async Task DisposeAsync()
    {
        await _services!.DisposeAsync();
        await _database!.DisposeAsync();
    }

    [Fact]
    public async Task Appends_of_many_customers_share_a_few_commits()
    {
        var commits = 0;
        using var listener = CountCommits(() => Interlocked.Increment(ref commits));
        var customers = Enumerable.Range(0, 400).Select(_ => Entries.NewCustomer()).ToArray();

        var outcomes = await Task.WhenAll(customers.Select(c => Store.AppendAsync(Entries.Append(c, 0, count: 2))));

        Assert.All(outcomes, outcome => Assert.Equal(AppendOutcome.Appended, outcome));
        Assert.InRange(commits, 1, 40);
        Assert.Equal(800L, await ScalarAsync("SELECT count(*) FROM billing_journal"));
    }

    [Fact]
    public async Task A_stale_append_fails_only_its_own_customer_in_a_shared_batch()
    {
        var blocker = await ExistingCustomerAsync();
        var stale = await ExistingCustomerAsync();
        var fresh = Entries.NewCustomer();

        var (blocked, queued) = await WhileBatchIsBlockedAsync(blocker, () =>
        [
            Store.AppendAsync(Entries.Append(stale, 0, eventId: v => $"evt_stale_{v}")), // its head is at 1
            Store.AppendAsync(Entries.Append(fresh, 0)),
        ]);

        Assert.Equal(AppendOutcome.Appended, blocked);
        Assert.Equal([AppendOutcome.Conflict, AppendOutcome.Appended], queued);
        Assert.Equal(1, await Store.HeadVersionAsync(stale));
        Assert.Equal(1, await Store.HeadVersionAsync(fresh));
    }

    [Fact]
    public async Task A_duplicate_event_id_fails_only_its_own_customer_in_a_shared_batch()
    {
        var blocker = await ExistingCustomerAsync();
        var repeating = await ExistingCustomerAsync();
        var fresh = Entries.NewCustomer();

        var (_, queued) = await WhileBatchIsBlockedAsync(blocker, () =>
        [
            Store.AppendAsync(Entries.Append(repeating, 1, eventId: _ => $"evt_{repeating}_1")), // journaled as version 1
            Store.AppendAsync(Entries.Append(fresh, 0)),
        ]);

        Assert.Equal([AppendOutcome.DuplicateEvent, AppendOutcome.Appended], queued);
        Assert.Equal(1, await Store.HeadVersionAsync(repeating));
        Assert.Equal(1, await Store.HeadVersionAsync(fresh));
    }

    [Fact]
    public async Task A_commit_the_server_aborts_fails_the_whole_batch_for_certain_and_writes_nothing()
    {
        var blocker = await ExistingCustomerAsync();
        var locked = await ExistingCustomerAsync();
        var other = Entries.NewCustomer();
        await using var holder = await _database!.DataSource.OpenConnectionAsync();
        await using var transaction = await holder.BeginTransactionAsync();
        await LockHeadAsync(holder, transaction, blocker);
        await LockHeadAsync(holder, transaction, locked);

        // A first batch waits on the blocker's head; the two appends queued behind it make the next batch, together
        // (enqueued while a commit is in flight, whatever the scheduling), and that batch waits on the locked head.
        var first = Store.AppendAsync(Entries.Append(blocker, 1));
        var firstWriter = await WaitForWriterBlockedAsync();
        var appends = new[] { Store.AppendAsync(Entries.Append(locked, 1)), Store.AppendAsync(Entries.Append(other, 0)) };
        await TerminateAsync(firstWriter);
        Assert.Equal(AppendOutcome.Failed, await first);
        await TerminateAsync(await WaitForWriterBlockedAsync(except: firstWriter));

        var outcomes = await Task.WhenAll(appends);
        await transaction.RollbackAsync();

        // The server said the statement failed (57P01): nothing of it committed, and the callers may know it.
        Assert.Equal([AppendOutcome.Failed, AppendOutcome.Failed], outcomes);
        Assert.Equal(1, await Store.HeadVersionAsync(locked));
        Assert.Equal(0, await Store.HeadVersionAsync(other));

        // The writer carries on with a new connection.
        Assert.Equal(AppendOutcome.Appended, await Store.AppendAsync(Entries.Append(other, 0)));
    }

    [Fact]
    public async Task A_connection_lost_during_the_commit_is_an_unknown_outcome_and_the_batch_commits_whole_or_not_at_all()
    {
        Task<AppendOutcome>[] appends;
        // The writer reaches PostgreSQL through a proxy that can cut its connection; the test's own sessions do not.
        var direct = new NpgsqlConnectionStringBuilder(_database!.ConnectionString);
        await using var proxy = await TcpProxy.StartAsync(direct.Host!, direct.Port);
        await using var services = JournalServices.Create(new NpgsqlConnectionStringBuilder(_database.ConnectionString) { Port = proxy.Port }.ConnectionString);
        var store = services.GetRequiredService<IJournalStore>();
        var locked = Entries.NewCustomer();
        Assert.Equal(AppendOutcome.Appended, await store.AppendAsync(Entries.Append(locked, 0)));
        var other = Entries.NewCustomer();
        var blocker = Entries.NewCustomer();
        Assert.Equal(AppendOutcome.Appended, await store.AppendAsync(Entries.Append(blocker, 0)));

        // A first batch waits on the blocker's head while the two appends queue behind it (so they make the next batch
        // together, whatever the scheduling); released, it commits, and the next batch waits on the locked head.
        await using var holder = await _database.DataSource.OpenConnectionAsync();
        await using var transaction = await holder.BeginTransactionAsync();
        await LockHeadAsync(holder, transaction, locked);
        await using (var blockerHolder = await _database.DataSource.OpenConnectionAsync())
        {
            await using var blocking = await blockerHolder.BeginTransactionAsync();
            await LockHeadAsync(blockerHolder, blocking, blocker);
            var first = store.AppendAsync(Entries.Append(blocker, 1));
            await WaitForWriterBlockedAsync();
            var queued = new[] { store.AppendAsync(Entries.Append(locked, 1)), store.AppendAsync(Entries.Append(other, 0)) };
            await blocking.RollbackAsync();
            Assert.Equal(AppendOutcome.Appended, await first);
            await WaitForWriterBlockedAsync();
            appends = queued;
        }

        proxy.Cut(Outage.Refuse);
        var outcomes = await Task.WhenAll(appends);

        // The statement is still running on the server, which learns of the lost client only when it answers: it
        // commits once the lock is released. The writer cannot know that, so every caller hears "unknown" and reloads.
        Assert.Equal([AppendOutcome.Unknown, AppendOutcome.Unknown], outcomes);
        await transaction.RollbackAsync();
        await WaitUntilIdleAsync();
        var lockedHead = await Store.HeadVersionAsync(locked);
        var otherHead = await Store.HeadVersionAsync(other);
        Assert.True((lockedHead, otherHead) is (2, 1) or (1, 0), $"half a batch is visible: heads at {lockedHead} and {otherHead}");
        Assert.Equal(lockedHead + otherHead, await ScalarAsync($"SELECT count(*) FROM billing_journal WHERE customer_id IN ('{locked}', '{other}')"));

        proxy.Restore();
        Assert.Equal(AppendOutcome.Appended, await store.AppendAsync(Entries.Append(other, otherHead, eventId: v => $"evt_after_{v}")));
    }

    // Appends `blocker` with its head locked by another session, so that the writer's statement waits; enqueues the
    // given appends meanwhile (they form the next batch together), then releases the lock.
    private async Task<(AppendOutcome Blocked, AppendOutcome[] Queued)> WhileBatchIsBlockedAsync(string blocker, Func<Task<AppendOutcome>[]> queue)
    {
        await using var holder = await _database!.DataSource.OpenConnectionAsync();
        await using var transaction = await holder.BeginTransactionAsync();
        await LockHeadAsync(holder, transaction, blocker);
        var blocked = Store.AppendAsync(Entries.Append(blocker, 1));
        await WaitForWriterBlockedAsync();
        var queued = queue();
        await transaction.CommitAsync();
        return (await blocked, await Task.WhenAll(queued));
    }

    private async Task<string> ExistingCustomerAsync()
    {
        var customer = Entries.NewCustomer();
        Assert.Equal(AppendOutcome.Appended, await Store.AppendAsync(Entries.Append(customer, 0)));
        return customer;
    }

    private static async Task LockHeadAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string customer)
    {
        await using var lockHead = new NpgsqlCommand("SELECT 1 FROM billing_journal_heads WHERE customer_id = $1 FOR UPDATE", connection, transaction);
        lockHead.Parameters.AddWithValue(customer);
        Assert.Equal(1, await lockHead.ExecuteScalarAsync());
    }

    // The backend of the writer's connection, once it waits for a lock.
    private async Task TerminateAsync(int backend)
    {
        await using var kill = _database!.DataSource.CreateCommand("SELECT pg_terminate_backend($1)");
        kill.Parameters.AddWithValue(backend);
        await kill.ExecuteScalarAsync();
    }

    private async Task<int> WaitForWriterBlockedAsync(int? except = null)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            await using var command = _database!.DataSource.CreateCommand(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE 'WITH input AS%'");
            if (await command.ExecuteScalarAsync() is int pid && pid != except)
            {
                return pid;
            }

            Assert.True(DateTime.UtcNow < deadline, "the writer's statement never waited on the locked head");
            await Task.Delay(20);
        }
    }

    // No statement of this database runs any more (the writer's orphaned one has finished).
    private async Task WaitUntilIdleAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (await ScalarAsync("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'WITH input AS%' AND state = 'active'") > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the writer's statement never finished");
            await Task.Delay(20);
        }
    }

    private async Task<long> ScalarAsync(string sql)
    {
        await using var command = _database!.DataSource.CreateCommand(sql);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    // Only this test's writer: other test classes run their own writers in this process at the same time, and a
    // listener hears every meter of the process. IMeterFactory hands out one Meter per name, so this is the writer's.
    private MeterListener CountCommits(Action committed)
    {
        var meter = _services!.GetRequiredService<IMeterFactory>().Create("Billing");
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter == meter && instrument.Name == "billing.journal.commit.operations")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<int>((_, _, _, _) => committed());
        listener.Start();
        return listener;
    }
}
