using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Billing.Gateway.Tests.Infrastructure;
using Billing.Testing.Outbound;
using Billing.Testing.Postgres;

namespace Billing.Gateway.Tests.Anomalies;

/// <summary>
/// Anomaly detection end to end: signed Stripe charge events through the real gateway, the detector grains on a real
/// silo with PostgreSQL, <c>GET /admin/anomalies</c>, the <c>anomaly.detected</c> delivery and the anomaly's life.
/// </summary>
public sealed class AnomalyDetectionTests(AnomalyDetectionTests.Fixture fixture) : IClassFixture<AnomalyDetectionTests.Fixture>
{
    private const string OperatorKey = "anomaly-operator-key-0123";

    [Fact]
    public async Task A_card_testing_burst_on_a_connected_account_pages_is_delivered_and_can_be_acknowledged_then_resolved()
    {
        var account = $"acct_burst{Guid.NewGuid():N}"[..24];
        await SendAsync(account, "charge.succeeded", count: 10, amount: 4900);
        await SendAsync(account, "charge.failed", count: 60, amount: 100, declineCode: "incorrect_cvc");

        var anomaly = await WaitForAnomalyAsync(account);
        Assert.Equal("payment_failures", (string)anomaly["kind"]!);
        Assert.Equal("open", (string)anomaly["state"]!);
        Assert.True((bool)anomaly["card_testing"]!);
        Assert.Equal(60, (double)anomaly["observed"]!);
        Assert.True((double)anomaly["expected"]! < 10);
        Assert.Equal("PT15M", (string)anomaly["window"]!);
        Assert.NotEmpty(anomaly["sample_event_ids"]!.AsArray());
        var id = (string)anomaly["id"]!;

        var delivery = await fixture.Receiver.WaitForAsync(d => d.MessageId == id, TimeSpan.FromSeconds(30));
        Assert.Equal("anomaly.detected", delivery.MessageType);
        Assert.NotNull(delivery.Signature);
        Assert.Equal(account, (string)JsonNode.Parse(delivery.BodyText)!["data"]!["scope"]!);

        var acknowledged = await PostAsync($"/admin/anomalies/{id}/acknowledge");
        Assert.Equal("acknowledged", (string)acknowledged["state"]!);
        var resolved = await PostAsync($"/admin/anomalies/{id}/resolve");
        Assert.Equal("resolved", (string)resolved["state"]!);
        Assert.Equal("operator", (string)resolved["resolved_by"]!);
        Assert.False(resolved["resolved_at"] is null);
        var again = await PostAsync($"/admin/anomalies/{id}/acknowledge");
        Assert.Equal("resolved", (string)again["state"]!); // never back
    }

    [Fact]
    public async Task A_renewal_day_surge_with_a_usual_failure_rate_does_not_page()
    {
        var account = $"acct_renew{Guid.NewGuid():N}"[..24];
        await SendAsync(account, "charge.succeeded", count: 190, amount: 4900);
        await SendAsync(account, "charge.failed", count: 10, amount: 4900, declineCode: "insufficient_funds");

        // A control burst sent after the surge: the gateway forwards in batches, in arrival order, so once the control's
        // anomaly is listed the surge's signals have reached their detector (in the same batch or an earlier one), and an
        // absence below means "not paged" rather than "not looked at yet" (the old fixed 4 s wait could not tell).
        var control = $"acct_ctrl{Guid.NewGuid():N}"[..24];
        await SendAsync(control, "charge.succeeded", count: 10, amount: 4900);
        await SendAsync(control, "charge.failed", count: 60, amount: 100, declineCode: "incorrect_cvc");
        await WaitForAnomalyAsync(control);

        var list = await GetAsync("/admin/anomalies?limit=500");
        Assert.DoesNotContain(list["anomalies"]!.AsArray(), a => (string)a!["scope"]! == account);
    }

    [Fact]
    public async Task Bad_queries_are_400_and_unknown_ids_404()
    {
        using var badState = await SendAdminAsync(HttpMethod.Get, "/admin/anomalies?state=closed");
        Assert.Equal(HttpStatusCode.BadRequest, badState.StatusCode);
        using var badLimit = await SendAdminAsync(HttpMethod.Get, "/admin/anomalies?limit=0");
        Assert.Equal(HttpStatusCode.BadRequest, badLimit.StatusCode);
        using var unknown = await SendAdminAsync(HttpMethod.Post, "/admin/anomalies/anm_nope/resolve");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        using var withoutKey = await fixture.Stack.Admin.GetAsync(new Uri("/admin/anomalies", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, withoutKey.StatusCode);
    }

    private async Task SendAsync(string account, string type, int count, long amount, string? declineCode = null)
    {
        var created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var sends = Enumerable.Range(0, count).Select(async i =>
        {
            var charge = $"ch_{Guid.NewGuid():N}"[..20];
            var chargeObject = new JsonObject
            {
                ["id"] = charge,
                ["object"] = "charge",
                ["amount"] = amount,
                ["currency"] = "usd",
                ["customer"] = null,
                ["payment_intent"] = "pi_" + charge[3..],
                ["status"] = type == "charge.failed" ? "failed" : "succeeded",
                ["failure_code"] = declineCode is null ? null : "card_declined",
                ["outcome"] = declineCode is null ? null : new JsonObject { ["reason"] = declineCode },
            };
            var body = new JsonObject
            {
                ["id"] = $"evt_{Guid.NewGuid():N}",
                ["object"] = "event",
                ["type"] = type,
                ["created"] = created,
                ["livemode"] = false,
                ["account"] = account,
                ["api_version"] = "2026-10-28.endive",
                ["data"] = new JsonObject { ["object"] = chargeObject },
            }.ToJsonString();
            Assert.Equal("ignored", await fixture.Stack.Webhooks.ApplyAsync(body));
        });
        await Task.WhenAll(sends);
    }

    private async Task<JsonNode> WaitForAnomalyAsync(string account)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var list = await GetAsync("/admin/anomalies?state=open");
            if (list["anomalies"]!.AsArray().FirstOrDefault(a => (string)a!["scope"]! == account) is { } anomaly)
            {
                return anomaly;
            }

            Assert.True(DateTime.UtcNow < deadline, $"no anomaly for {account} within 30 s");
            await Task.Delay(200);
        }
    }

    private async Task<JsonNode> GetAsync(string path)
    {
        using var response = await SendAdminAsync(HttpMethod.Get, path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    private async Task<JsonNode> PostAsync(string path)
    {
        using var response = await SendAdminAsync(HttpMethod.Post, path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    private async Task<HttpResponseMessage> SendAdminAsync(HttpMethod method, string path)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", OperatorKey);
        return await fixture.Stack.Admin.SendAsync(request);
    }

    /// <summary>A stack with a notification endpoint and an operator key.</summary>
    public sealed class Fixture : IAsyncLifetime
    {
        private TestDatabase? _database;
        private BillingStack? _stack;
        private RecordingReceiver? _receiver;

        public BillingStack Stack => _stack ?? throw new InvalidOperationException("The stack is not started.");

        public RecordingReceiver Receiver => _receiver ?? throw new InvalidOperationException("The receiver is not started.");

        public async Task InitializeAsync()
        {
            _receiver = await RecordingReceiver.StartAsync();
            _database = await TestDatabase.CreateAsync("anomalies");
            _stack = await BillingStack.StartAsync(_database, new Dictionary<string, string?>
            {
                ["Gateway:AdminApiKeys:0"] = OperatorKey,
                ["Billing:Outbound:SigningSecret"] = "anomaly_tests_signing_secret_0123456789",
                ["Billing:Notifications:Endpoints:0"] = _receiver.Url("billing/notifications"),
            });
        }

        public async Task DisposeAsync()
        {
            if (_stack is not null)
            {
                await _stack.DisposeAsync();
            }

            if (_database is not null)
            {
                await _database.DisposeAsync();
            }

            if (_receiver is not null)
            {
                await _receiver.DisposeAsync();
            }
        }
    }
}
