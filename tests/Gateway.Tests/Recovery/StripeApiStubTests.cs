using System.Net;
using System.Runtime.InteropServices;
using System.Text.Json;
using Billing.StripeSamples;
using Billing.Testing.Stripe;
using Stripe;
using Stripe.Entitlements;

namespace Billing.Gateway.Tests.Recovery;

/// <summary>
/// The Stripe stub the recovery tests stand on, proven through Stripe.net itself (typed services, auto-paging,
/// RawRequestAsync, its retry policy): lists and cursors, events with retention and Connect scoping, entitlements.
/// No database and no Billing stack. The faults are in the other half of this class.
/// </summary>
public sealed partial class StripeApiStubTests : IAsyncLifetime
{
    // A fixed instant for the stub's clock, so retention and ordering never depend on when the test runs.
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);

    private readonly List<HttpClient> _httpClients = [];
    private StripeApiStub? _stub;

    private StripeApiStub Stub => _stub!;

    private static long NowSeconds => Now.ToUnixTimeSeconds();

    public async Task InitializeAsync()
    {
        _stub = await StripeApiStub.StartAsync();
        Stub.Now = () => Now;
    }

    public async Task DisposeAsync()
    {
        await Stub.DisposeAsync();
        _httpClients.ForEach(c => c.Dispose());
    }

    [Fact]
    public async Task Auto_paging_subscriptions_yields_each_once_newest_first_and_the_default_leaves_out_ended_ones()
    {
        var random = new Random(7);
        string[] statuses = ["active", "active", "active", "trialing", "past_due", "canceled", "incomplete_expired"];
        var all = Enumerable.Range(0, 1050)
            // Three subscriptions per second: the ties are ordered by id, and the ids are random, not in created order.
            .Select(i => (Id: $"sub_{random.Next():x8}{i:D4}", Created: NowSeconds - 86_400 + (i / 3), Status: statuses[i % statuses.Length]))
            .ToList();
        foreach (var (id, created, status) in all.OrderBy(_ => random.Next()))
        {
            Stub.Account().PutSubscription(StripeObjectJson.Subscription(id, $"cus_{id[4..]}", status, created));
        }

        var newestFirst = all.OrderByDescending(s => s.Created).ThenByDescending(s => s.Id, StringComparer.Ordinal).ToList();
        var listed = new List<Subscription>();
        await foreach (var subscription in Client().V1.Subscriptions.ListAutoPagingAsync(new SubscriptionListOptions { Status = "all", Limit = 100 }))
        {
            listed.Add(subscription);
        }

        Assert.Equal(newestFirst.Select(s => s.Id), listed.Select(s => s.Id));
        Assert.Equal(newestFirst.Select(s => s.Status), listed.Select(s => s.Status));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(newestFirst[0].Created).UtcDateTime, listed[0].Created);
        Assert.Equal(11, Stub.CountRequests("/v1/subscriptions"));

        var current = new List<string>();
        await foreach (var subscription in Client().V1.Subscriptions.ListAutoPagingAsync(new SubscriptionListOptions { Limit = 100 }))
        {
            current.Add(subscription.Id);
        }

        Assert.Equal(newestFirst.Where(s => s.Status is not ("canceled" or "incomplete_expired")).Select(s => s.Id), current);
        Assert.Equal(750, current.Count);
    }

    [Fact]
    public async Task Subscriptions_filter_by_customer_status_and_created_and_follow_changes()
    {
        var account = Stub.Account();
        account.PutSubscription(StripeObjectJson.Subscription("sub_old", "cus_a", "active", NowSeconds - 3_000));
        account.PutSubscription(StripeObjectJson.Subscription("sub_new", "cus_a", "trialing", NowSeconds - 1_000, trialEnd: NowSeconds + 86_400));
        account.PutSubscription(StripeObjectJson.Subscription("sub_other", "cus_b", "trialing", NowSeconds - 500));
        Stub.SubscriptionStatuses["sub_legacy"] = "past_due";
        var subscriptions = Client().V1.Subscriptions;

        var ofA = await subscriptions.ListAsync(new SubscriptionListOptions { Customer = "cus_a" });
        Assert.Equal(["sub_new", "sub_old"], ofA.Select(s => s.Id));
        var trialing = await subscriptions.ListAsync(new SubscriptionListOptions { Status = "trialing" });
        Assert.Equal(["sub_other", "sub_new"], trialing.Select(s => s.Id));
        var recent = await subscriptions.ListAsync(new SubscriptionListOptions
        {
            Status = "all",
            Created = new DateRangeOptions { GreaterThanOrEqual = Now.AddSeconds(-1_000).UtcDateTime },
        });
        Assert.Equal(["sub_other", "sub_new"], recent.Select(s => s.Id));

        account.SetSubscriptionStatus("sub_new", "canceled");
        Assert.True(account.RemoveSubscription("sub_other"));
        Assert.Equal(["sub_old"], (await subscriptions.ListAsync(new SubscriptionListOptions())).Select(s => s.Id));
        Assert.Equal("canceled", (await subscriptions.GetAsync("sub_new")).Status);
        Assert.Equal(Now.AddDays(1).UtcDateTime, (await subscriptions.GetAsync("sub_new")).TrialEnd);
        Assert.Equal("past_due", (await subscriptions.GetAsync("sub_legacy")).Status);
        Assert.Equal(NowSeconds - 3_000, new DateTimeOffset((await Client().V1.Customers.GetAsync("cus_a")).Created).ToUnixTimeSeconds());
        var missing = await Assert.ThrowsAsync<StripeException>(() => subscriptions.GetAsync("sub_other"));
        Assert.Equal(HttpStatusCode.NotFound, missing.HttpStatusCode);
        Assert.Equal(("resource_missing", "No such subscription: 'sub_other'"), (missing.StripeError.Code, missing.StripeError.Message));
        var badCursor = await Assert.ThrowsAsync<StripeException>(() => subscriptions.ListAsync(new SubscriptionListOptions { StartingAfter = "sub_gone" }));
        Assert.Equal((HttpStatusCode.BadRequest, "resource_missing", "starting_after"),
            (badCursor.HttpStatusCode, badCursor.StripeError.Code, badCursor.StripeError.Param));
        var badLimit = await Assert.ThrowsAsync<StripeException>(() => subscriptions.ListAsync(new SubscriptionListOptions { Limit = 101 }));
        Assert.Equal((HttpStatusCode.BadRequest, "limit"), (badLimit.HttpStatusCode, badLimit.StripeError.Param));
    }

    [StripeFixtureFact]
    public async Task Raw_event_pages_filter_by_types_and_created_and_carry_old_api_versions_byte_for_byte()
    {
        // The fixture is a 2020-08-27 event: the stub's clock is set a day after it, so it is inside retention.
        var fixturePath = Path.Combine(StripeFixtures.Directory, "rubymock__customer.subscription.updated.json");
        var fixture = await System.IO.File.ReadAllTextAsync(fixturePath);
        var fixtureCreated = JsonDocument.Parse(fixture).RootElement.GetProperty("created").GetInt64();
        Stub.Now = () => DateTimeOffset.FromUnixTimeSeconds(fixtureCreated + 86_400);
        var account = Stub.Account();
        account.AddEvent(fixture);
        var since = fixtureCreated - 3_600;
        var expected = new List<(long Created, string Id)> { (fixtureCreated, "evt_000000000000000000000000") };
        string[] types = ["customer.subscription.updated", "invoice.paid", "charge.succeeded"];
        for (var i = 0; i < 450; i++)
        {
            // From two hours before the fixture to two hours after it: 300 from since on, 200 of them of the two types.
            var (created, type, id) = (since - 3_600 + (i * 24), types[i % 3], $"evt_test_{i:D4}");
            account.AddEvent(type == "invoice.paid"
                ? StripeEventJson.Invoice("cus_a", type, created, id)
                : StripeObjectJson.EventOf(type, StripeObjectJson.Subscription("sub_a", "cus_a", "active", created), created, id));
            if (created >= since && type != "charge.succeeded")
            {
                expected.Add((created, id));
            }
        }

        var client = Client();
        var listed = new List<string>();
        byte[]? fixtureBytes = null;
        string? after = null;
        do
        {
            var response = await client.RawRequestAsync(HttpMethod.Get,
                $"/v1/events?types[0]=customer.subscription.updated&types[1]=invoice.paid&created[gte]={since}&limit=100"
                + (after is null ? "" : $"&starting_after={after}"), null, new RawRequestOptions());
            using var page = JsonDocument.Parse(response.Content);
            foreach (var item in page.RootElement.GetProperty("data").EnumerateArray())
            {
                listed.Add(item.GetProperty("id").GetString()!);
                if (listed[^1] == "evt_000000000000000000000000")
                {
                    fixtureBytes = JsonMarshal.GetRawUtf8Value(item).ToArray();
                }
            }

            after = page.RootElement.GetProperty("has_more").GetBoolean() ? listed[^1] : null;
        }
        while (after is not null);

        Assert.Equal(expected.OrderByDescending(e => e.Created).ThenByDescending(e => e.Id, StringComparer.Ordinal).Select(e => e.Id), listed);
        Assert.Equal(201, listed.Count);
        Assert.Equal(3, Stub.CountRequests("/v1/events"));
        var fileBytes = await System.IO.File.ReadAllBytesAsync(fixturePath);
        Assert.Equal(fileBytes.AsSpan().TrimEnd("\r\n "u8).ToArray(), fixtureBytes);
        var retrieved = await client.RawRequestAsync(HttpMethod.Get, "/v1/events/evt_000000000000000000000000", null, new RawRequestOptions());
        Assert.Equal(fileBytes, System.Text.Encoding.UTF8.GetBytes(retrieved.Content));

        var tooMany = string.Join('&', Enumerable.Range(0, 21).Select(i => $"types[{i}]=type.{i}"));
        var refused = await Assert.ThrowsAsync<StripeException>(() => client.RawRequestAsync(HttpMethod.Get, $"/v1/events?{tooMany}", null, new RawRequestOptions()));
        Assert.Equal((HttpStatusCode.BadRequest, "types"), (refused.HttpStatusCode, refused.StripeError.Param));
        var both = await Assert.ThrowsAsync<StripeException>(() => client.V1.Events.ListAsync(new EventListOptions { Type = "invoice.paid", Types = ["invoice.paid"] }));
        Assert.Equal(HttpStatusCode.BadRequest, both.HttpStatusCode);
        var invoices = new List<Event>();
        await foreach (var stripeEvent in client.V1.Events.ListAutoPagingAsync(new EventListOptions { Type = "invoice.*", Limit = 100 }))
        {
            invoices.Add(stripeEvent);
        }

        Assert.Equal(150, invoices.Count);
        Assert.All(invoices, e => Assert.Equal("invoice.paid", e.Type));
    }

    [Fact]
    public async Task Auto_paging_with_only_ending_before_yields_the_newer_events_in_chronological_order()
    {
        var account = Stub.Account();
        var chronological = Enumerable.Range(0, 26)
            // Pairs share a second, so the (created, id) order decides within them.
            .Select(i => (Created: NowSeconds - 3_600 + (i / 2 * 60), Id: $"evt_test_{(i % 2 == 0 ? "b" : "a")}{i:D2}"))
            .OrderBy(e => e.Created).ThenBy(e => e.Id, StringComparer.Ordinal)
            .ToList();
        foreach (var (created, id) in chronological)
        {
            account.AddEvent(StripeEventJson.Subscription("cus_a", "sub_a", "active", created, eventId: id));
        }

        var yielded = new List<string>();
        await foreach (var stripeEvent in Client().V1.Events.ListAutoPagingAsync(new EventListOptions { EndingBefore = chronological[0].Id, Limit = 10 }))
        {
            yielded.Add(stripeEvent.Id);
        }

        Assert.Equal(chronological.Skip(1).Select(e => e.Id), yielded);
        Assert.Equal(3, Stub.CountRequests("/v1/events"));
    }

    [Fact]
    public async Task Events_older_than_30_days_by_the_stub_clock_are_gone_and_late_events_appear_when_visible()
    {
        var account = Stub.Account();
        account.AddEvent(StripeEventJson.Subscription("cus_a", "sub_a", "active", Now.AddDays(-31).ToUnixTimeSeconds(), eventId: "evt_old"));
        account.AddEvent(StripeEventJson.Subscription("cus_a", "sub_a", "active", Now.AddDays(-29).ToUnixTimeSeconds(), eventId: "evt_recent"));
        account.AddEvent(StripeEventJson.Subscription("cus_a", "sub_a", "past_due", NowSeconds - 60, eventId: "evt_late"), visibleFrom: Now.AddSeconds(10));
        var events = Client().V1.Events;

        Assert.Equal(["evt_recent"], (await events.ListAsync()).Select(e => e.Id));
        var gone = await Assert.ThrowsAsync<StripeException>(() => events.GetAsync("evt_old"));
        Assert.Equal((HttpStatusCode.NotFound, "resource_missing", "No such notification: 'evt_old'"),
            (gone.HttpStatusCode, gone.StripeError.Code, gone.StripeError.Message));
        var oldCursor = await Assert.ThrowsAsync<StripeException>(() => events.ListAsync(new EventListOptions { StartingAfter = "evt_old" }));
        Assert.Equal((HttpStatusCode.BadRequest, "resource_missing", "starting_after"),
            (oldCursor.HttpStatusCode, oldCursor.StripeError.Code, oldCursor.StripeError.Param));
        await Assert.ThrowsAsync<StripeException>(() => events.GetAsync("evt_late"));

        Stub.Now = () => Now.AddSeconds(20);
        Assert.Equal(["evt_late", "evt_recent"], (await events.ListAsync()).Select(e => e.Id));
        Stub.Now = () => Now.AddDays(2);
        Assert.Equal(["evt_late"], (await events.ListAsync()).Select(e => e.Id));
        Assert.Equal(HttpStatusCode.NotFound, (await Assert.ThrowsAsync<StripeException>(() => events.GetAsync("evt_recent"))).HttpStatusCode);
    }

    [Fact]
    public async Task Each_Stripe_account_sees_only_its_own_objects_and_the_header_is_recorded()
    {
        Stub.Account().PutSubscription(StripeObjectJson.Subscription("sub_platform", "cus_p", "active", NowSeconds - 10));
        foreach (var account in new[] { "acct_a", "acct_b" })
        {
            Stub.Account(account).PutSubscription(StripeObjectJson.Subscription($"sub_{account}", $"cus_{account}", "active", NowSeconds - 10));
            Stub.Account(account).AddEvent(StripeEventJson.Subscription($"cus_{account}", $"sub_{account}", "active", NowSeconds - 10,
                eventId: $"evt_{account}", account: account));
        }

        var client = Client();
        var ofA = await client.V1.Subscriptions.ListAsync(new SubscriptionListOptions(), new RequestOptions { StripeAccount = "acct_a" });
        Assert.Equal(["sub_acct_a"], ofA.Select(s => s.Id));
        Assert.Equal(["sub_platform"], (await client.V1.Subscriptions.ListAsync(new SubscriptionListOptions())).Select(s => s.Id));
        var ofB = await client.RawRequestAsync(HttpMethod.Get, "/v1/events?limit=100", null, new RawRequestOptions { StripeAccount = "acct_b" });
        var ids = JsonDocument.Parse(ofB.Content).RootElement.GetProperty("data").EnumerateArray().Select(e => e.GetProperty("id").GetString());
        Assert.Equal(["evt_acct_b"], ids);
        await Assert.ThrowsAsync<StripeException>(() => client.V1.Subscriptions.GetAsync("sub_acct_a", null, new RequestOptions { StripeAccount = "acct_b" }));

        Assert.Equal([(string?)"acct_a", null, "acct_b", "acct_b"], Stub.RequestLog.Select(r => r.StripeAccount));
        Assert.Equal(("GET", "/v1/events", "limit=100", 200), Stub.RequestLog.Skip(2).Select(r => (r.Method, r.Path, r.Query, r.Status)).First());
        Assert.All(Stub.RequestLog, r => Assert.False(string.IsNullOrEmpty(r.StripeVersion)));
        Assert.Contains(("/v1/events", (string?)"acct_b"), Stub.Requests);
    }

    [Fact]
    public async Task Active_entitlements_need_a_customer_and_list_its_lookup_keys_and_features_list_every_feature()
    {
        Stub.Account().PutActiveEntitlements("cus_a", "seats", "reports");
        Stub.Account().AddFeature("exports");
        var entitlements = Client().V1.Entitlements;

        var missing = await Assert.ThrowsAsync<StripeException>(() => entitlements.ActiveEntitlements.ListAsync(new ActiveEntitlementListOptions()));
        Assert.Equal((HttpStatusCode.BadRequest, "parameter_missing", "customer"),
            (missing.HttpStatusCode, missing.StripeError.Code, missing.StripeError.Param));
        var active = await entitlements.ActiveEntitlements.ListAsync(new ActiveEntitlementListOptions { Customer = "cus_a" });
        Assert.Equal(["reports", "seats"], active.Select(e => e.LookupKey).Order(StringComparer.Ordinal));
        Assert.Equal(["feat_test_reports", "feat_test_seats"], active.Select(e => e.FeatureId).Order(StringComparer.Ordinal));
        Assert.Empty(await entitlements.ActiveEntitlements.ListAsync(new ActiveEntitlementListOptions { Customer = "cus_none" }));
        var features = await entitlements.Features.ListAsync(new FeatureListOptions());
        Assert.Equal(["exports", "reports", "seats"], features.Select(f => f.LookupKey).Order(StringComparer.Ordinal));
        Assert.All(features, f => Assert.True(f.Active));

        Stub.Account().PutActiveEntitlements("cus_a", "seats");
        Assert.Equal(["seats"], (await entitlements.ActiveEntitlements.ListAsync(new ActiveEntitlementListOptions { Customer = "cus_a" })).Select(e => e.LookupKey));
    }

    [Fact]
    public async Task OnListPage_lets_a_test_add_an_event_between_two_page_reads()
    {
        var account = Stub.Account();
        for (var i = 0; i < 4; i++)
        {
            account.AddEvent(StripeEventJson.Subscription("cus_a", "sub_a", "active", NowSeconds - 400 + (i * 100), eventId: $"evt_test_{i}"));
        }

        // After the first page (evt_test_3, evt_test_2): one event older than the cursor, which the next page shows,
        // and one newer than everything, which paging onwards never sees.
        Stub.OnListPage = path =>
        {
            Stub.OnListPage = null;
            account.AddEvent(StripeEventJson.Subscription("cus_a", "sub_a", "past_due", NowSeconds - 250, eventId: "evt_test_inserted"));
            account.AddEvent(StripeEventJson.Subscription("cus_a", "sub_a", "canceled", NowSeconds, eventId: "evt_test_newest"));
        };
        var listed = new List<string>();
        await foreach (var stripeEvent in Client().V1.Events.ListAutoPagingAsync(new EventListOptions { Limit = 2 }))
        {
            listed.Add(stripeEvent.Id);
        }

        Assert.Equal(["evt_test_3", "evt_test_2", "evt_test_inserted", "evt_test_1", "evt_test_0"], listed);
    }

    private StripeClient Client(int maxNetworkRetries = 0, TimeSpan? timeout = null)
    {
        var httpClient = new HttpClient { Timeout = timeout ?? TimeSpan.FromSeconds(30) };
        _httpClients.Add(httpClient);
        return new StripeClient(new StripeClientOptions
        {
            ApiKey = "sk_test_stub",
            ApiBase = Stub.BaseAddress.ToString().TrimEnd('/'),
            HttpClient = new SystemNetHttpClient(httpClient, maxNetworkRetries),
        });
    }
}
