using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Billing.Gateway.Tests.Infrastructure;
using Billing.Grains.Anomalies;
using Billing.Grains.Anomalies.Store;
using Billing.StripeSamples;
using Billing.Testing;
using Billing.Testing.Postgres;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;

namespace Billing.Gateway.Tests.Anomalies;

/// <summary>
/// An anomaly's life across the detector's own: the store, not the detector's state, says which kinds are open (so an
/// anomaly stored just before a crash keeps its kind quiet after it), resolving lets the kind page again, and an anomaly
/// nobody resolves resolves itself after <c>Billing:Anomalies:AutoResolveAfter</c>.
/// </summary>
public sealed class AnomalyLifeTests : IAsyncLifetime
{
    private const string OperatorKey = "anomaly-life-operator-key-0123";

    private readonly ShiftedTimeProvider _siloClock = new();
    private TestDatabase? _database;
    private BillingStack? _stack;

    private BillingStack Stack => _stack!;

    private AnomalyStore Store => Stack.Cluster.GetSiloServiceProvider(Stack.Cluster.Silos[0].SiloAddress).GetRequiredService<AnomalyStore>();

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync("anomalylife");
        _stack = await BillingStack.StartAsync(_database, new Dictionary<string, string?> { ["Gateway:AdminApiKeys:0"] = OperatorKey },
            siloTime: _siloClock);
    }

    public async Task DisposeAsync()
    {
        await _stack!.DisposeAsync();
        await _database!.DisposeAsync();
    }

    [Fact]
    public async Task An_anomaly_stored_before_the_detector_knew_keeps_its_kind_quiet_until_resolved_then_the_kind_pages_again()
    {
        var account = $"acct_life{Guid.NewGuid():N}"[..24];
        var seeded = new Anomaly($"anm_seeded{Guid.NewGuid():N}"[..24], "payment_failures", account, DateTimeOffset.UtcNow,
            DateTimeOffset.UtcNow.AddMinutes(-15), TimeSpan.FromMinutes(15), 30, 2, 1e-9, "rate", CardTesting: true, ["evt_seeded"],
            DeliveredAt: DateTimeOffset.UtcNow);
        Assert.True(await Store.AddAsync(seeded));

        await BurstAsync(account, successes: 10, failures: 60);
        await Task.Delay(TimeSpan.FromSeconds(4)); // the forwarder sends within a second; a page would be stored by now
        Assert.Equal([seeded.Id], (await ListAsync(account)).Select(a => (string)a["id"]!));

        using (var resolve = await AdminAsync(HttpMethod.Post, $"/admin/anomalies/{seeded.Id}/resolve"))
        {
            Assert.Equal(HttpStatusCode.OK, resolve.StatusCode);
        }

        await BurstAsync(account, successes: 0, failures: 40);
        var paged = await EventuallyAsync(async () => (await ListAsync(account)).FirstOrDefault(a => (string)a["id"]! != seeded.Id));
        Assert.Equal("open", (string)paged["state"]!);
    }

    [Fact]
    public async Task An_anomaly_nobody_resolves_resolves_itself_after_a_day_when_its_detector_wakes()
    {
        var account = $"acct_expire{Guid.NewGuid():N}"[..24];
        await BurstAsync(account, successes: 10, failures: 60);
        var anomaly = await EventuallyAsync(async () => (await ListAsync(account)).SingleOrDefault());
        Assert.Equal("open", (string)anomaly["state"]!);

        _siloClock.Offset = TimeSpan.FromHours(25);
        await Stack.Cluster.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        await BurstAsync(account, successes: 1, failures: 0); // wakes the detector, which finds the anomaly expired

        var resolved = await EventuallyAsync(async () => (await ListAsync(account)).SingleOrDefault(a => (string)a["state"]! == "resolved"));
        Assert.Equal("expired", (string)resolved["resolved_by"]!);
    }

    private async Task BurstAsync(string account, int successes, int failures)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        for (var i = 0; i < successes + failures; i++)
        {
            var failed = i >= successes;
            await Stack.Webhooks.ApplyAsync(SampleEvents.Build(new SampleEventRequest(failed ? "charge.failed" : "charge.succeeded",
                StripeEventJson.NewCustomerId(), now, Account: account, Amount: failed ? 100 : 4900)));
        }
    }

    private async Task<IReadOnlyList<JsonNode>> ListAsync(string account)
    {
        using var response = await AdminAsync(HttpMethod.Get, "/admin/anomalies?limit=500");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return [.. JsonNode.Parse(await response.Content.ReadAsStringAsync())!["anomalies"]!.AsArray()
            .Where(a => (string)a!["scope"]! == account).Select(a => a!)];
    }

    private async Task<HttpResponseMessage> AdminAsync(HttpMethod method, string path)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", OperatorKey);
        return await Stack.Admin.SendAsync(request);
    }

    private static async Task<JsonNode> EventuallyAsync(Func<Task<JsonNode?>> find)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            if (await find() is { } found)
            {
                return found;
            }

            Assert.True(DateTime.UtcNow < deadline, "not within 30 s");
            await Task.Delay(250);
        }
    }
}
