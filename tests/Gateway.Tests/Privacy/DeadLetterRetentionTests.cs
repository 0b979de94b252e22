using System.Net;
using System.Text.Json.Nodes;
using Billing.Gateway.Tests.Infrastructure;
using Billing.Outbound;
using Billing.StripeSamples;
using Billing.Testing;
using Billing.Testing.Outbound;
using Microsoft.Extensions.DependencyInjection;

namespace Billing.Gateway.Tests.Privacy;

/// <summary>
/// A dead letter keeps what may identify a person only for <c>Billing:Outbound:DeadLetterRetention</c> (30 days):
/// after it the silos' purge leaves none of the receiver's answer (which may quote an email), the body's hosted
/// invoice URL (a bearer link to a page with the customer's name, email and address) or the endpoint's path and query
/// (a receiver's token) in any column, and the admin API never shows an endpoint's path at all.
/// </summary>
public sealed class DeadLetterRetentionTests() : OwnDatabaseTests("retention")
{
    private readonly string _marker = Guid.NewGuid().ToString("N")[..12];

    [Fact]
    public async Task After_the_retention_a_dead_letter_keeps_no_receiver_answer_invoice_url_or_endpoint_path()
    {
        var email = $"grace.{_marker}@example.com";
        var invoiceUrl = $"https://invoice.stripe.com/i/acct_test/{_marker}";
        var token = $"tok{_marker}";
        string[] needles = [email, invoiceUrl, token];
        await using var receiver = await RecordingReceiver.StartAsync();
        receiver.Script("notifications", Answer.Status(422, $$"""{"error":"unknown recipient {{email}}"}"""));
        var clock = new ShiftedTimeProvider();
        await using var stack = await BillingStack.StartAsync(Database, new Dictionary<string, string?>
        {
            ["Billing:Notifications:Endpoints:0"] = receiver.Url($"notifications?token={token}"),
            ["Billing:Outbound:SigningSecret"] = "retention_test_secret",
        }, siloTime: clock);
        var customerId = StripeEventJson.NewCustomerId();

        Assert.Equal("applied", await stack.Webhooks.ApplyAsync(StripeEventJson.Envelope("invoice.payment_failed", new JsonObject
        {
            ["id"] = $"in_{_marker}", ["object"] = "invoice", ["customer"] = customerId, ["amount_due"] = 4200, ["currency"] = "gbp",
            ["hosted_invoice_url"] = invoiceUrl,
        }, DateTimeOffset.UtcNow.ToUnixTimeSeconds())));
        await WaitForDeadLetterAsync();

        // Before the purge the dead letter holds all three (so this test fails if the purge does not run or misses one).
        Assert.Equal(needles.Select(needle => $"billing_dead_letters: {needle}").Order(StringComparer.Ordinal),
            (await DeadLetterFindingsAsync(needles)).Order(StringComparer.Ordinal));

        // The admin API shows the endpoint's host only, even before the purge.
        var id = await DeadLetterIdAsync();
        using (var view = await stack.Admin.GetAsync(new Uri($"/admin/dead-letters/{id}", UriKind.Relative)))
        {
            var text = await view.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.OK, view.StatusCode);
            Assert.DoesNotContain(token, text, StringComparison.Ordinal);
            Assert.DoesNotContain("/notifications", text, StringComparison.Ordinal);
        }

        // 31 days later on the silo's clock, the silo's purge runs.
        clock.Offset = TimeSpan.FromDays(31);
        var silo = stack.Cluster.GetSiloServiceProvider(stack.Cluster.Silos[0].SiloAddress);
        Assert.Equal(1, await silo.GetRequiredService<OutboundDelivery>().PurgeDeadLettersAsync());

        Assert.Empty(await DeadLetterFindingsAsync(needles));
        await using (var command = Database.DataSource.CreateCommand(
            "SELECT message_type, customer_id, status_code, endpoint, error, purged_at IS NOT NULL FROM billing_dead_letters"))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            Assert.True(await reader.ReadAsync());
            Assert.Equal("notification.payment_failed", reader.GetString(0));
            Assert.Equal(customerId, reader.GetString(1));
            Assert.Equal(422, reader.GetInt32(2));
            Assert.Equal(receiver.BaseAddress.GetLeftPart(UriPartial.Authority), reader.GetString(3));
            Assert.Equal("HTTP 422", reader.GetString(4));
            Assert.True(reader.GetBoolean(5));
        }

        // A purged dead letter cannot be replayed: its endpoint's path is gone.
        using var replay = await stack.Admin.PostAsync(new Uri($"/admin/dead-letters/{id}/replay", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.Gone, replay.StatusCode);
        Assert.Equal("purged", (string)JsonNode.Parse(await replay.Content.ReadAsStringAsync())!["status"]!);
    }

    // Only the dead letters' table: the journal keeps the invoice's facts for its own retention (Billing:Journal:Retention).
    private async Task<List<string>> DeadLetterFindingsAsync(string[] needles) =>
        [.. (await TableScanner.TablesContainingAsync(Database.DataSource, needles))
            .Where(found => found.StartsWith("billing_dead_letters:", StringComparison.Ordinal))];

    private async Task<long> DeadLetterIdAsync()
    {
        await using var command = Database.DataSource.CreateCommand("SELECT id FROM billing_dead_letters");
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private async Task WaitForDeadLetterAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            await using var command = Database.DataSource.CreateCommand("SELECT count(*) FROM billing_dead_letters");
            if ((long)(await command.ExecuteScalarAsync())! > 0)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, "no dead letter within 30 s");
            await Task.Delay(200);
        }
    }
}
