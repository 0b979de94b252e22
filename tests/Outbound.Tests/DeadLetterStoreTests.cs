using Billing.Testing.Postgres;
using Microsoft.Extensions.Logging.Abstractions;

namespace Billing.Outbound.Tests;

/// <summary>
/// The dead-letter store's contract, on PostgreSQL (the table of migration 0005, each test in its own database) and
/// in memory (a host without a database): the same behaviour either way.
/// </summary>
public sealed class DeadLetterStoreTests
{
    public static TheoryData<string> Stores => ["postgres", "memory"];

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task A_message_is_stored_once_per_target_and_endpoint_however_often_it_is_added(string kind)
    {
        await using var store = await OpenAsync(kind);
        var letter = Letter("cus_a:1", endpoint: "https://a.internal/x");

        Assert.True(await store.Store.AddAsync(letter));
        Assert.False(await store.Store.AddAsync(letter));
        Assert.False(await store.Store.AddAsync(letter with { Error = "HTTP 410 Gone", StatusCode = 410 }));
        Assert.True(await store.Store.AddAsync(letter with { Endpoint = "https://b.internal/x" }));
        // Ids are unique per target only: a suspension notification shares its id with that version's fulfillment message.
        Assert.True(await store.Store.AddAsync(letter with { Target = OutboundTarget.Notifications, MessageType = "notification.access_suspended" }));

        var stored = await store.Store.ListAsync(new DeadLetterQuery());
        Assert.Equal(3, stored.Count);
        Assert.Equal(404, stored.Single(l => l.Endpoint == "https://a.internal/x" && l.Target == OutboundTarget.Fulfillment).StatusCode);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task The_list_is_newest_first_without_bodies_and_pages_with_before(string kind)
    {
        await using var store = await OpenAsync(kind);
        for (var i = 1; i <= 5; i++)
        {
            await store.Store.AddAsync(Letter($"cus_a:{i}"));
        }

        var first = await store.Store.ListAsync(new DeadLetterQuery(Limit: 2));
        var second = await store.Store.ListAsync(new DeadLetterQuery(Limit: 2, Before: first[^1].Id));
        var last = await store.Store.ListAsync(new DeadLetterQuery(Limit: 2, Before: second[^1].Id));

        Assert.Equal(["cus_a:5", "cus_a:4"], first.Select(l => l.MessageId));
        Assert.Equal(["cus_a:3", "cus_a:2"], second.Select(l => l.MessageId));
        Assert.Equal(["cus_a:1"], last.Select(l => l.MessageId));
        Assert.All(first.Concat(second).Concat(last), letter => Assert.Null(letter.Body));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task One_dead_letter_comes_with_its_body_exactly_as_sent(string kind)
    {
        await using var store = await OpenAsync(kind);
        var body = "{\"id\":\"cus_a:1\",  \"data\":{\"b\":1,\"a\":2},\"note\":\"caf\u00e9\"}";
        await store.Store.AddAsync(Letter("cus_a:1") with { Body = body });
        var id = (await store.Store.ListAsync(new DeadLetterQuery())).Single().Id;

        var letter = await store.Store.GetAsync(id);

        Assert.NotNull(letter);
        Assert.Equal(body, letter.Body);
        Assert.Equal("cus_a", letter.CustomerId);
        Assert.Equal(OutboundTarget.Fulfillment, letter.Target);
        Assert.Equal(404, letter.StatusCode);
        Assert.Equal("HTTP 404 Not Found", letter.Error);
        Assert.InRange(letter.CreatedAt, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
        Assert.Null(letter.ReplayedAt);
        Assert.Null(letter.ReplayStatusCode);
        Assert.Null(await store.Store.GetAsync(id + 1000));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task A_replayed_dead_letter_leaves_the_pending_list(string kind)
    {
        await using var store = await OpenAsync(kind);
        await store.Store.AddAsync(Letter("cus_a:1"));
        await store.Store.AddAsync(Letter("cus_a:2"));
        var ids = (await store.Store.ListAsync(new DeadLetterQuery())).Select(l => l.Id).ToList();

        var replayedAt = await store.Store.MarkReplayedAsync(ids[1], 204);

        Assert.NotNull(replayedAt);
        Assert.Equal(["cus_a:2"], (await store.Store.ListAsync(new DeadLetterQuery(PendingOnly: true))).Select(l => l.MessageId));
        Assert.Equal(2, (await store.Store.ListAsync(new DeadLetterQuery())).Count);
        var replayed = await store.Store.GetAsync(ids[1]);
        Assert.Equal(replayedAt, replayed!.ReplayedAt);
        Assert.Equal(204, replayed.ReplayStatusCode);
        Assert.False(replayed.IsPending);
        Assert.Null(await store.Store.MarkReplayedAsync(ids[0] + 1000, 200));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task The_list_can_be_narrowed_to_one_customer(string kind)
    {
        await using var store = await OpenAsync(kind);
        await store.Store.AddAsync(Letter("cus_a:1"));
        await store.Store.AddAsync(Letter("cus_b:1") with { CustomerId = "cus_b" });

        var page = await store.Store.ListAsync(new DeadLetterQuery(CustomerId: "cus_b"));

        Assert.Equal(["cus_b:1"], page.Select(l => l.MessageId));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task A_purge_keeps_ids_status_and_host_and_drops_the_answer_the_urls_and_the_endpoint_path(string kind)
    {
        await using var store = await OpenAsync(kind);
        const string Body = """{"id":"evt_1","type":"notification.payment_failed","data":{"amount":4200,"hosted_invoice_url":"https://invoice.stripe.com/i/secret","links":[{"url":"https://x.example/y"}]}}""";
        await store.Store.AddAsync(Letter("cus_a:1", endpoint: "https://user:pw@mailer.internal:8443/hooks/billing?token=t0k") with
        {
            Body = Body,
            StatusCode = 422,
            Error = "HTTP 422 Unprocessable Entity: unknown recipient ada@example.com",
        });

        Assert.Equal(0, await store.Store.PurgeAsync(DateTimeOffset.UtcNow - TimeSpan.FromMinutes(1), limit: 10));
        Assert.Equal(1, await store.Store.PurgeAsync(DateTimeOffset.UtcNow + TimeSpan.FromMinutes(1), limit: 10));
        Assert.Equal(0, await store.Store.PurgeAsync(DateTimeOffset.UtcNow + TimeSpan.FromMinutes(1), limit: 10));

        var purged = (await store.Store.GetAsync((await store.Store.ListAsync(new DeadLetterQuery())).Single().Id))!;
        Assert.Equal("https://mailer.internal:8443", purged.Endpoint);
        Assert.Equal("HTTP 422", purged.Error);
        Assert.Equal(422, purged.StatusCode);
        Assert.Equal("""{"id":"evt_1","type":"notification.payment_failed","data":{"amount":4200,"links":[{}]}}""", purged.Body);
        Assert.NotNull(purged.PurgedAt);
        Assert.Equal("cus_a:1", purged.MessageId);

        // The same message refused again later is a new dead letter: the purged one no longer holds its place.
        Assert.True(await store.Store.AddAsync(Letter("cus_a:1", endpoint: "https://user:pw@mailer.internal:8443/hooks/billing?token=t0k")));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task A_purge_takes_at_most_its_limit_oldest_first(string kind)
    {
        await using var store = await OpenAsync(kind);
        for (var i = 1; i <= 3; i++)
        {
            await store.Store.AddAsync(Letter($"cus_a:{i}"));
        }

        Assert.Equal(2, await store.Store.PurgeAsync(DateTimeOffset.UtcNow + TimeSpan.FromMinutes(1), limit: 2));

        var letters = await store.Store.ListAsync(new DeadLetterQuery());
        Assert.Equal(["cus_a:3"], letters.Where(l => l.PurgedAt is null).Select(l => l.MessageId));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(501)]
    public async Task A_page_size_out_of_bounds_is_refused(int limit)
    {
        await using var store = await OpenAsync("memory");

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.Store.ListAsync(new DeadLetterQuery(Limit: limit)));
    }

    private static NewDeadLetter Letter(string messageId, string endpoint = "https://fulfillment.internal/billing") =>
        new(messageId, "entitlements.changed", OutboundTarget.Fulfillment, "cus_a", endpoint,
            $"{{\"id\":\"{messageId}\"}}", 404, "HTTP 404 Not Found");

    private static async Task<OpenStore> OpenAsync(string kind)
    {
        if (kind == "memory")
        {
            return new OpenStore(new InMemoryDeadLetterStore(TimeProvider.System, NullLogger<InMemoryDeadLetterStore>.Instance), null);
        }

        var database = await TestDatabase.CreateAsync("dead_letters");
        return new OpenStore(new PostgresDeadLetterStore(database.DataSource), database);
    }

    private sealed record OpenStore(DeadLetterStore Store, TestDatabase? Database) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            if (Database is not null)
            {
                await Database.DisposeAsync();
            }
        }
    }
}
