using Billing.Grains.Journal;

namespace Billing.Journal.Tests;

/// <summary>
/// What every journal store must do, run against PostgreSQL and against memory: the in-memory store stands in for
/// the real one in development and in the benchmark's "journal for free" comparison, so it must keep the same rules.
/// </summary>
public abstract class JournalStoreContract
{
    protected abstract IJournalStore Store { get; }

    [Fact]
    public async Task Appends_follow_the_head_and_one_behind_it_writes_nothing()
    {
        var customer = Entries.NewCustomer();
        Assert.Equal(AppendOutcome.Appended, await Store.AppendAsync(Entries.Append(customer, 0, count: 2)));
        Assert.Equal(AppendOutcome.Appended, await Store.AppendAsync(Entries.Append(customer, 2)));

        // An activation that read version 2 and did not see 3 (a second activation during a handover).
        var stale = Entries.Append(customer, 2, eventId: v => $"evt_stale_{v}");
        Assert.Equal(AppendOutcome.Conflict, await Store.AppendAsync(stale));

        Assert.Equal(3, await Store.HeadVersionAsync(customer));
        var entries = await Store.ReadAsync(customer, 0, long.MaxValue, 100, withFacts: true);
        Assert.Equal([1L, 2, 3], entries.Select(e => e.Version));
        Assert.DoesNotContain(entries, e => e.EventId.StartsWith("evt_stale", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Of_two_first_appends_of_a_customer_exactly_one_wins()
    {
        var customer = Entries.NewCustomer();
        var outcomes = await Task.WhenAll(
            Store.AppendAsync(Entries.Append(customer, 0, eventId: v => $"evt_a_{v}")),
            Store.AppendAsync(Entries.Append(customer, 0, eventId: v => $"evt_b_{v}")));

        Assert.Single(outcomes, AppendOutcome.Appended);
        Assert.Single(outcomes, AppendOutcome.Conflict);
        Assert.Single(await Store.ReadAsync(customer, 0, long.MaxValue, 100, withFacts: false));
    }

    [Fact]
    public async Task An_event_id_the_journal_holds_is_refused_and_nothing_of_the_append_is_written()
    {
        var customer = Entries.NewCustomer();
        Assert.Equal(AppendOutcome.Appended, await Store.AppendAsync(Entries.Append(customer, 0, eventId: _ => "evt_once")));

        var again = Entries.Append(customer, 1, count: 2, eventId: v => v == 2 ? "evt_new" : "evt_once");
        Assert.Equal(AppendOutcome.DuplicateEvent, await Store.AppendAsync(again));

        Assert.Equal(1, await Store.HeadVersionAsync(customer));
        Assert.Equal(["evt_once"], (await Store.FindExistingAsync(customer, ["evt_once", "evt_new"])).ToArray());
    }

    [Fact]
    public async Task Loading_gives_the_tail_after_a_version_and_the_ids_recorded_since_an_instant()
    {
        var customer = Entries.NewCustomer();
        await Store.AppendAsync(Entries.Append(customer, 0, count: 5, recordedAt: v => Entries.T0.AddDays(v)));

        var loaded = await Store.LoadAsync(customer, afterVersion: 3, recentSince: Entries.T0.AddDays(2));

        Assert.Equal([4L, 5], loaded.Tail.Select(e => e.Version));
        Assert.All(loaded.Tail, e => Assert.Equal("{}", e.Facts));
        Assert.Equal([$"evt_{customer}_2", $"evt_{customer}_3", $"evt_{customer}_4", $"evt_{customer}_5"],
            loaded.RecentEvents.Select(e => e.EventId));
    }

    [Fact]
    public async Task Loading_the_latest_starts_after_the_snapshot_the_head_names()
    {
        var none = await Store.LoadLatestAsync(Entries.NewCustomer(), Entries.T0);
        Assert.Equal((0L, 0, 0), (none.After, none.Tail.Count, none.RecentEvents.Count));

        var customer = Entries.NewCustomer();
        await Store.AppendAsync(Entries.Append(customer, 0, count: 3, recordedAt: v => Entries.T0.AddDays(v)));
        var whole = await Store.LoadLatestAsync(customer, Entries.T0.AddDays(3));
        Assert.Equal(0, whole.After);
        Assert.Equal([1L, 2, 3], whole.Tail.Select(e => e.Version));
        Assert.Equal([$"evt_{customer}_3"], whole.RecentEvents.Select(e => e.EventId));

        await Store.MarkSnapshotAsync(customer, 2);
        var latest = await Store.LoadLatestAsync(customer, Entries.T0);
        Assert.Equal(2, latest.After);
        Assert.Equal([3L], latest.Tail.Select(e => e.Version));
        Assert.Equal(3, latest.RecentEvents.Count);

        await Store.MarkSnapshotAsync(customer, 3);
        var upToDate = await Store.LoadLatestAsync(customer, Entries.T0.AddDays(10));
        Assert.Equal((3L, 0, 0), (upToDate.After, upToDate.Tail.Count, upToDate.RecentEvents.Count));
    }

    [Fact]
    public async Task Many_customers_loading_at_once_each_get_their_own_journal()
    {
        var customers = Enumerable.Range(0, 300).Select(_ => Entries.NewCustomer()).ToArray();
        for (var i = 0; i < customers.Length; i += 3)
        {
            await Store.AppendAsync(Entries.Append(customers[i], 0, count: 1 + (i % 4), recordedAt: v => Entries.T0.AddDays(v)));
        }

        await Store.MarkSnapshotAsync(customers[0], 1);
        var loads = await Task.WhenAll(customers.Select(c => Store.LoadLatestAsync(c, Entries.T0.AddDays(2))));

        for (var i = 0; i < customers.Length; i++)
        {
            var expected = i % 3 != 0 ? 0 : 1 + (i % 4);
            var after = i == 0 ? 1 : 0;
            Assert.Equal(after, loads[i].After);
            Assert.Equal(Enumerable.Range(after + 1, Math.Max(0, expected - after)).Select(v => (long)v), loads[i].Tail.Select(e => e.Version));
            Assert.All(loads[i].Tail, e => Assert.Equal(customers[i], e.CustomerId));
            Assert.Equal(Enumerable.Range(2, Math.Max(0, expected - 1)).Select(v => $"evt_{customers[i]}_{v}"), loads[i].RecentEvents.Select(e => e.EventId));
        }
    }

    [Fact]
    public async Task The_latest_entry_at_an_instant_answers_as_of_that_instant()
    {
        var customer = Entries.NewCustomer();
        await Store.AppendAsync(Entries.Append(customer, 0, count: 3, recordedAt: v => Entries.T0.AddMinutes(10 * v)));

        Assert.Null(await Store.LatestAtAsync(customer, Entries.T0.AddMinutes(5)));
        Assert.Equal(1, (await Store.LatestAtAsync(customer, Entries.T0.AddMinutes(10)))?.Version);
        Assert.Equal(2, (await Store.LatestAtAsync(customer, Entries.T0.AddMinutes(29)))?.Version);
        Assert.Equal(3, (await Store.LatestAtAsync(customer, Entries.T0.AddDays(1)))?.Version);
        Assert.Equal(3, (await Store.LatestAtAsync(customer, Entries.T0.AddDays(1)))?.EntitlementsVersion);
        Assert.Equal([2L, 3], (await Store.ListAsync(customer, 1, 10)).Select(e => e.Version));
        Assert.Equal([1L], (await Store.ListAsync(customer, 0, 1)).Select(e => e.Version));
    }

    [Fact]
    public async Task Effects_come_back_as_they_were_appended()
    {
        var customer = Entries.NewCustomer();
        var entry = Entries.Entry(customer, 1, changed: true, notify: true);
        await Store.AppendAsync(new JournalAppend(customer, 0, [entry], new JournalHead(1, null, 1, 1, 0)));

        var read = Assert.Single(await Store.ReadAsync(customer, 0, 1, 10, withFacts: false));
        Assert.Equal(JournalJson.Serialize(entry.Effects), JournalJson.Serialize(read.Effects));
        Assert.Equal(entry.RecordedAt, read.RecordedAt);
        Assert.Equal(entry.Created, read.Created);
        Assert.Equal(JournalSource.Webhook, read.Source);

        var listed = Assert.Single(await Store.ListAsync(customer, 0, 10));
        Assert.Equal((entry.EventId, entry.Type, entry.Created, entry.RecordedAt), (listed.EventId, listed.Type, listed.Created, listed.RecordedAt));
        Assert.Equal((true, entry.Effects.Access, entry.Effects.Version, entry.Effects.UpdatedAt), (listed.Changed, listed.Access, listed.EntitlementsVersion, listed.UpdatedAt));
        Assert.Equal(entry.Effects.Features.ToArray(), listed.Features.ToArray());
    }

    [Fact]
    public async Task A_cursor_never_moves_back()
    {
        var customer = Entries.NewCustomer();
        Assert.Equal(0, await Store.LoadCursorAsync("fulfillment", customer));

        await Store.SaveCursorAsync("fulfillment", customer, 5);
        await Store.SaveCursorAsync("fulfillment", customer, 3);

        Assert.Equal(5, await Store.LoadCursorAsync("fulfillment", customer));
        Assert.Equal(0, await Store.LoadCursorAsync("notifications", customer));
    }

    [Fact]
    public async Task Due_grace_periods_and_consumers_behind_a_quiet_journal_are_found()
    {
        var due = Entries.NewCustomer();
        var later = Entries.NewCustomer();
        await Store.AppendAsync(Entries.Append(due, 0, graceEndsAt: DateTimeOffset.UtcNow.AddSeconds(-1)));
        await Store.AppendAsync(Entries.Append(later, 0, graceEndsAt: DateTimeOffset.UtcNow.AddHours(1)));
        var graces = await Store.FindDueGracesAsync(DateTimeOffset.UtcNow, 10_000);
        Assert.Contains(due, graces);
        Assert.DoesNotContain(later, graces);

        var behind = Entries.NewCustomer();
        var caughtUp = Entries.NewCustomer();
        foreach (var customer in new[] { behind, caughtUp })
        {
            await Store.AppendAsync(new JournalAppend(customer, 0, [Entries.Entry(customer, 1, changed: true)], new JournalHead(1, null, 1, 0, 0)));
        }

        await Store.SaveCursorAsync("fulfillment", caughtUp, 1);
        var lagging = await Store.FindLaggingConsumersAsync(DateTimeOffset.UtcNow.AddSeconds(1), 10_000);
        Assert.Contains(new LaggingConsumer("fulfillment", behind), lagging);
        Assert.DoesNotContain(new LaggingConsumer("fulfillment", caughtUp), lagging);
        Assert.DoesNotContain(new LaggingConsumer("notifications", behind), lagging);

        // A journal that moved a moment ago is not lagging yet: its consumer is still being told.
        Assert.DoesNotContain(new LaggingConsumer("fulfillment", behind), await Store.FindLaggingConsumersAsync(DateTimeOffset.UtcNow.AddMinutes(-1), 10_000));
    }

    [Fact]
    public async Task Pruning_keeps_the_window_the_newest_old_entry_and_everything_after_the_snapshot()
    {
        // Ten entries, one a day; the cutoff falls after entry 6; the snapshot is at 4.
        var customer = Entries.NewCustomer();
        await Store.AppendAsync(Entries.Append(customer, 0, count: 10, snapshotVersion: 4, recordedAt: v => Entries.T0.AddDays(v)));
        var cutoff = Entries.T0.AddDays(6.5);

        await PruneAllAsync(cutoff);

        // Entries 1-6 are older than the cutoff; 6 stays (it answers "as of" the cutoff), and only what the snapshot
        // covers (up to 4) may go: 1-4 go, 5 stays.
        var kept = (await Store.ReadAsync(customer, 0, long.MaxValue, 100, withFacts: false)).Select(e => e.Version).ToArray();
        Assert.Equal([5L, 6, 7, 8, 9, 10], kept);

        // With the snapshot further on, everything before the newest entry older than the cutoff goes.
        await Store.MarkSnapshotAsync(customer, 10);
        await PruneAllAsync(cutoff);
        Assert.Equal([6L, 7, 8, 9, 10], (await Store.ReadAsync(customer, 0, long.MaxValue, 100, withFacts: false)).Select(e => e.Version));

        // "As of" an instant after the cutoff still has its answer; the dedupe ids of the pruned entries are gone with them.
        Assert.Equal(6, (await Store.LatestAtAsync(customer, cutoff))?.Version);
        Assert.Empty(await Store.FindExistingAsync(customer, [$"evt_{customer}_1"]));
    }

    [Fact]
    public async Task Pruning_never_touches_a_customer_whose_history_is_all_newer_than_the_cutoff()
    {
        var customer = Entries.NewCustomer();
        await Store.AppendAsync(Entries.Append(customer, 0, count: 3, snapshotVersion: 3, recordedAt: v => Entries.T0.AddDays(v)));

        await PruneAllAsync(Entries.T0);

        Assert.Equal(3, (await Store.ReadAsync(customer, 0, long.MaxValue, 100, withFacts: false)).Count);
    }

    private async Task PruneAllAsync(DateTimeOffset cutoff)
    {
        string? from = null;
        do
        {
            from = (await Store.PruneAsync(from, 50, cutoff)).LastCustomerId;
        }
        while (from is not null);
    }
}
