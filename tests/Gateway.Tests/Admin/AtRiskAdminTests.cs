using Billing.StripeSamples;
using System.Net;
using System.Text.Json.Nodes;
using Billing.Gateway.Tests.Infrastructure;
using Billing.Testing.Stripe;

namespace Billing.Gateway.Tests.Admin;

/// <summary>
/// Churn risk through the whole stack: webhooks fold into the customer's score, <c>GET /admin/customers/{id}</c> shows
/// it, and the customer grain keeps the at-risk list (<c>GET /admin/customers/at-risk</c>, PostgreSQL) up to date.
/// </summary>
public sealed class AtRiskAdminTests(StackFixture fixture) : IClassFixture<StackFixture>
{
    private static readonly long Now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
    private BillingStack Stack => fixture.Stack;

    [Fact]
    public async Task A_past_due_customer_with_two_failed_attempts_is_listed_at_60_and_leaves_the_list_after_paying()
    {
        var customer = StripeEventJson.NewCustomerId();
        await Stack.Webhooks.ApplyAsync(StripeEventJson.Subscription(customer, "sub_1", "past_due", Now, previousStatus: "active"));
        await Stack.Webhooks.ApplyAsync(StripeEventJson.Invoice(customer, "invoice.payment_failed", Now + 1));
        await Stack.Webhooks.ApplyAsync(StripeEventJson.Invoice(customer, "invoice.payment_failed", Now + 2));

        var risk = (await GetAsync($"/admin/customers/{customer}"))["risk"]!;
        Assert.Equal(["score", "band", "cancelling", "heuristic", "reasons"], risk.AsObject().Select(p => p.Key));
        Assert.Equal((60, "medium", false, true), ((int)risk["score"]!, (string)risk["band"]!, (bool)risk["cancelling"]!, (bool)risk["heuristic"]!));
        Assert.Equal([("past_due", 40), ("failed_payments", 20)], risk["reasons"]!.AsArray().Select(r => ((string)r!["code"]!, (int)r["points"]!)));
        Assert.Equal(["code", "points", "detail"], risk["reasons"]![0]!.AsObject().Select(p => p.Key));

        var listed = await EventuallyListedAsync(customer, expected: true);
        Assert.Equal(["customer_id", "score", "band", "cancelling", "reasons", "updated_at"], listed!.AsObject().Select(p => p.Key));
        Assert.Equal((60, "medium"), ((int)listed["score"]!, (string)listed["band"]!));
        Assert.Equal(2, listed["reasons"]!.AsArray().Count);
        Assert.EndsWith("Z", (string)listed["updated_at"]!, StringComparison.Ordinal);

        await Stack.Webhooks.ApplyAsync(StripeEventJson.Invoice(customer, "invoice.paid", Now + 3));
        await Stack.Webhooks.ApplyAsync(StripeEventJson.Subscription(customer, "sub_1", "active", Now + 3, previousStatus: "past_due"));

        Assert.Equal(0, (int)(await GetAsync($"/admin/customers/{customer}"))["risk"]!["score"]!);
        Assert.Null(await EventuallyListedAsync(customer, expected: false));
    }

    [Fact]
    public async Task A_scheduled_cancellation_is_listed_as_cancelling_with_no_points()
    {
        var customer = StripeEventJson.NewCustomerId();
        var body = JsonNode.Parse(StripeEventJson.Subscription(customer, "sub_c", "active", Now))!;
        body["data"]!["object"]!["cancel_at_period_end"] = true;
        await Stack.Webhooks.ApplyAsync(body.ToJsonString());

        var listed = await EventuallyListedAsync(customer, expected: true);

        Assert.Equal((0, "none", true), ((int)listed!["score"]!, (string)listed["band"]!, (bool)listed["cancelling"]!));
    }

    [Fact]
    public async Task A_refund_is_applied_once_and_shown_and_a_dispute_without_its_customer_is_ignored()
    {
        var customer = StripeEventJson.NewCustomerId();
        await Stack.Webhooks.ApplyAsync(StripeEventJson.Subscription(customer, "sub_r", "active", Now));
        var refund = StripeEventJson.Envelope("charge.refunded", new JsonObject
        {
            ["id"] = "ch_refund", ["object"] = "charge", ["customer"] = customer, ["amount_refunded"] = 500, ["currency"] = "usd",
        }, Now + 1);
        var dispute = StripeEventJson.Envelope("charge.dispute.created", new JsonObject
        {
            ["id"] = "dp_1", ["object"] = "dispute", ["charge"] = "ch_refund", ["amount"] = 500, ["currency"] = "usd",
        }, Now + 2);

        Assert.Equal("applied", await Stack.Webhooks.ApplyAsync(refund));
        Assert.Equal("duplicate", await Stack.Webhooks.ApplyAsync(refund));
        Assert.Equal("ignored", await Stack.Webhooks.ApplyAsync(dispute));

        var risk = (await GetAsync($"/admin/customers/{customer}"))["risk"]!;
        Assert.Equal([("refund", 10)], risk["reasons"]!.AsArray().Select(r => ((string)r!["code"]!, (int)r["points"]!)));
        var events = (await GetAsync($"/admin/customers/{customer}/events"))["events"]!.AsArray();
        Assert.Equal(["customer.subscription.updated", "charge.refunded"], events.Select(e => (string)e!["type"]!));
    }

    [Fact]
    public async Task A_row_lost_between_the_append_and_the_index_comes_back_when_the_customer_activates()
    {
        var customer = StripeEventJson.NewCustomerId();
        await Stack.Webhooks.ApplyAsync(StripeEventJson.Subscription(customer, "sub_h", "past_due", Now, previousStatus: "active"));
        Assert.NotNull(await EventuallyListedAsync(customer, expected: true));

        // As if the silo died after the journal append, before the index write: the row is gone, the journal has it all.
        await using (var delete = Stack.Database.DataSource.CreateCommand("DELETE FROM billing_risk_index WHERE customer_id = $1"))
        {
            delete.Parameters.Add(new Npgsql.NpgsqlParameter<string> { TypedValue = customer });
            Assert.Equal(1, await delete.ExecuteNonQueryAsync());
        }

        await Stack.Cluster.Client.GetGrain<Orleans.Runtime.IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        await GetAsync($"/admin/customers/{customer}"); // activates it again

        var listed = await EventuallyListedAsync(customer, expected: true);
        Assert.Equal(40, (int)listed!["score"]!);
    }

    [Fact]
    public async Task The_at_risk_route_is_not_taken_for_a_customer_id()
    {
        var page = await GetAsync("/admin/customers/at-risk?limit=1");

        Assert.Equal(["customers", "next_cursor", "heuristic"], page.AsObject().Select(p => p.Key));
        Assert.True((bool)page["heuristic"]!);
    }

    [Theory]
    [InlineData("limit=0")]
    [InlineData("limit=501")]
    [InlineData("cursor=forged")]
    public async Task A_bad_limit_or_cursor_is_a_400(string query)
    {
        using var response = await Stack.Admin.GetAsync(new Uri($"/admin/customers/at-risk?{query}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("bad_request", (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!);
    }

    // The index is written after the webhook is answered (never in its way): wait a little for it, paging the whole list.
    private async Task<JsonNode?> EventuallyListedAsync(string customer, bool expected)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            var found = await FindAsync(customer);
            if ((found is not null) == expected || DateTime.UtcNow > deadline)
            {
                Assert.True((found is not null) == expected, $"{customer} listed: {found is not null}, expected {expected}");
                return found;
            }

            await Task.Delay(50);
        }
    }

    private async Task<JsonNode?> FindAsync(string customer)
    {
        var cursor = string.Empty;
        do
        {
            var page = await GetAsync($"/admin/customers/at-risk?limit=2&cursor={Uri.EscapeDataString(cursor)}");
            if (page["customers"]!.AsArray().FirstOrDefault(c => (string)c!["customer_id"]! == customer) is { } found)
            {
                return found;
            }

            cursor = (string)page["next_cursor"]!;
        }
        while (cursor.Length > 0);

        return null;
    }

    private async Task<JsonNode> GetAsync(string path)
    {
        using var response = await Stack.Admin.GetAsync(new Uri(path, UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!;
    }
}
