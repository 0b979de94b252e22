using Billing.StripeSamples;
using System.Text.Json.Nodes;
using Billing.Gateway.Tests.Infrastructure;
using Billing.Testing.Stripe;

namespace Billing.Gateway.Tests.Admin;

/// <summary>The at-risk index is derived data: when it cannot be written, webhooks are still applied, and it heals at the next change.</summary>
public sealed class RiskIndexFaultTests(StackFixture fixture) : IClassFixture<StackFixture>
{
    private static readonly long Now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
    private BillingStack Stack => fixture.Stack;

    [Fact]
    public async Task A_failed_index_write_does_not_fail_the_webhook_and_the_next_change_writes_it()
    {
        var customer = StripeEventJson.NewCustomerId();
        await ExecuteAsync("ALTER TABLE billing_risk_index RENAME TO billing_risk_index_away");
        try
        {
            Assert.Equal("applied", await Stack.Webhooks.ApplyAsync(StripeEventJson.Subscription(customer, "sub_f", "past_due", Now, previousStatus: "active")));
            Assert.Equal(40, (int)(await GetAsync($"/admin/customers/{customer}"))["risk"]!["score"]!);
            await Task.Delay(500); // the write runs after the answer; let it fail while the table is away
        }
        finally
        {
            await ExecuteAsync("ALTER TABLE billing_risk_index_away RENAME TO billing_risk_index");
        }

        Assert.Empty((await GetAsync("/admin/customers/at-risk?limit=500"))["customers"]!.AsArray());
        Assert.Equal("applied", await Stack.Webhooks.ApplyAsync(StripeEventJson.Invoice(customer, "invoice.payment_failed", Now + 1)));

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        JsonArray listed;
        do
        {
            listed = (await GetAsync("/admin/customers/at-risk?limit=500"))["customers"]!.AsArray();
        }
        while (listed.Count == 0 && DateTime.UtcNow < deadline && await Delay());

        var row = Assert.Single(listed);
        Assert.Equal((customer, 50), ((string)row!["customer_id"]!, (int)row["score"]!));
    }

    private static async Task<bool> Delay()
    {
        await Task.Delay(50);
        return true;
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var command = Stack.Database.DataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<JsonNode> GetAsync(string path)
    {
        using var response = await Stack.Admin.GetAsync(new Uri(path, UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!;
    }
}
