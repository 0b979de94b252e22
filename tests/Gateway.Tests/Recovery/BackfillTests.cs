using System.Net;
using System.Text.Json.Nodes;
using Billing.StripeSamples;
using Billing.Testing.Stripe;

namespace Billing.Gateway.Tests.Recovery;

/// <summary>
/// A 2-hour webhook outage, recovered from Stripe's Events API while webhooks keep arriving: every event applied once
/// (whichever way it came first), none twice, in the right order; and the poll catches a missed event by itself.
/// </summary>
public sealed class BackfillTests
{
    [StripeFixtureFact]
    public async Task A_two_hour_outage_is_backfilled_with_every_event_applied_exactly_once()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var random = new Random(20261201);
        List<(string Customer, string Json, string Id)> events = [];
        for (var c = 0; c < 150; c++)
        {
            var customer = $"cus_backfill_{c:D4}";
            var start = now - 7_200 + random.Next(0, 6_000);
            // active, then past due, then active again (paid), ending canceled for every fifth customer
            string[] statuses = c % 5 == 0 ? ["active", "past_due", "active", "canceled"] : ["active", "past_due", "active"];
            for (var s = 0; s < statuses.Length; s++)
            {
                var id = $"evt_backfill_{c:D4}_{s}";
                var type = statuses[s] == "canceled" ? "customer.subscription.deleted" : s == 0 ? "customer.subscription.created" : "customer.subscription.updated";
                events.Add((customer, StripeEventJson.Subscription(customer, $"sub_backfill_{c:D4}", statuses[s], start + (s * 10), type,
                    previousStatus: s == 0 ? null : statuses[s - 1], eventId: id), id));
            }
        }

        // An event of an old API version in a page must not stall the read.
        var legacy = StripeEventJson.WithIds(File.ReadAllText(Path.Combine(StripeFixtures.Directory, "rubymock__customer.subscription.updated.json")), "evt_backfill_legacy", "cus_backfill_legacy");
        var legacyNode = JsonNode.Parse(legacy)!;
        legacyNode["created"] = now - 3_600;
        legacy = legacyNode.ToJsonString();

        await using var recovery = await RecoveryStack.StartAsync("backfill", stub =>
        {
            foreach (var (_, json, _) in events)
            {
                stub.Account().AddEvent(json);
            }

            stub.Account().AddEvent(legacy);
            // A type billing does not use is filtered out by the Events API query.
            stub.Account().AddEvent(StripeObjectJson.EventOf("charge.succeeded", """{"id":"ch_1","object":"charge","customer":"cus_backfill_0000"}""", now - 100));
        });

        // Some arrived before the outage was noticed; others keep arriving during the backfill.
        var shuffled = events.OrderBy(_ => random.Next()).ToList();
        foreach (var (_, json, _) in shuffled.Take(events.Count / 3))
        {
            await recovery.Stack.Webhooks.ApplyAsync(json);
        }

        var (status, started) = await recovery.PostAsync("/admin/stripe/backfill", new { since = DateTimeOffset.UtcNow.AddHours(-3) });
        Assert.Equal(HttpStatusCode.Accepted, status);
        foreach (var (_, json, _) in shuffled.Skip(events.Count / 3).Take(events.Count / 3))
        {
            var answer = await recovery.Stack.Webhooks.ApplyAsync(json);
            Assert.True(answer is "applied" or "duplicate", answer);
        }

        var job = await recovery.WaitForJobAsync((string)started["id"]!);
        Assert.Equal("done", (string)job["state"]!);
        var counts = job["counts"]!;
        Assert.Equal(events.Count + 1, (long)counts["fetched"]!);
        Assert.Equal(events.Count + 1, (long)counts["applied"]! + (long)counts["duplicate"]!);

        foreach (var group in events.GroupBy(e => e.Customer))
        {
            var history = await recovery.HistoryAsync(group.Key);
            Assert.Equal(group.Select(e => e.Id).Order(StringComparer.Ordinal), history.Select(h => h.EventId).Order(StringComparer.Ordinal));
            Assert.All(history, h => Assert.True(h.Source is "webhook" or "events_api", h.Source));
            var final = group.Count() == 4 ? "NONE" : "ACTIVE";
            Assert.Equal(final, (await recovery.EntitlementsAsync(group.Key)).Access);
        }

        Assert.Equal("evt_backfill_legacy", Assert.Single(await recovery.HistoryAsync("cus_backfill_legacy")).EventId);
        Assert.Contains(recovery.Stripe.RequestLog, r => r.Path == "/v1/events" && r.Query.Contains("types", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_backfill_further_back_than_30_days_is_refused()
    {
        await using var recovery = await RecoveryStack.StartAsync("backfill-edge");

        var (status, body) = await recovery.PostAsync("/admin/stripe/backfill", new { since = DateTimeOffset.UtcNow.AddDays(-31) });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("30 days", (string)body["message"]!, StringComparison.Ordinal);

        var (missing, _) = await recovery.PostAsync("/admin/stripe/backfill", new { });
        Assert.Equal(HttpStatusCode.BadRequest, missing);
    }

    [Fact]
    public async Task The_poll_applies_an_event_no_webhook_delivered_without_anyone_asking()
    {
        await using var recovery = await RecoveryStack.StartAsync("poll", settings: new Dictionary<string, string?>
        {
            ["Stripe:Sync:PollInterval"] = "00:00:01",
        });
        var customer = StripeEventJson.NewCustomerId();
        recovery.Stripe.Account().AddEvent(StripeEventJson.Subscription(customer, "sub_poll", "active",
            DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 5, "customer.subscription.created", eventId: "evt_poll_missed"));

        var deadline = DateTimeOffset.UtcNow.AddSeconds(60);
        while ((await recovery.EntitlementsAsync(customer)).Access != "ACTIVE")
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, "the poll did not apply the missed event");
            await Task.Delay(250);
        }

        var entry = Assert.Single(await recovery.HistoryAsync(customer));
        Assert.Equal(("evt_poll_missed", "events_api"), (entry.EventId, entry.Source));
        Assert.Contains((await recovery.GetAsync("/admin/stripe/jobs"))["jobs"]!.AsArray(), j => (string)j!["kind"]! == "poll");
    }
}
