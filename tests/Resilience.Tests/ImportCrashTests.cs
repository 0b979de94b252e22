using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Billing.Resilience.Tests.Infrastructure;
using Billing.StripeSamples;
using Billing.Testing.Stripe;

namespace Billing.Resilience.Tests;

/// <summary>
/// A silo SIGKILLed in the middle of an import (real processes, Stripe's API served by the stub): another silo resumes
/// the job from its durable cursor, and the import ends with every subscription applied exactly once.
/// </summary>
public sealed class ImportCrashTests(ITestOutputHelper output) : ClusterTestBase(output)
{
    [Fact]
    public async Task A_silo_killed_mid_import_is_resumed_from_the_cursor_and_applies_everything_once()
    {
        const int count = 3_000;
        var created = DateTimeOffset.UtcNow.AddDays(-50).ToUnixTimeSeconds();
        await using var stripe = await StripeApiStub.StartAsync();
        for (var i = 0; i < count; i++)
        {
            stripe.Account().PutSubscription(StripeObjectJson.Subscription($"sub_crash_{i:D4}", Customer(i), i % 10 == 9 ? "canceled" : "active", created + i));
        }

        // A low ceiling (2 requests/s per silo of 3) stretches the import over ≈ 25 s, so the kill lands mid-way.
        var cluster = await StartClusterAsync(silos: 3, settings: new Dictionary<string, string>
        {
            ["Stripe__ApiKey"] = "sk_test_stub",
            ["Stripe__ApiBase"] = stripe.BaseAddress.ToString(),
            ["Stripe__Sync__MaxRequestsPerSecond"] = "6",
            ["Stripe__Sync__PollInterval"] = "00:00:00",
            ["Stripe__Sync__SchedulerInterval"] = "00:00:01",
            ["Billing__Reconcile__Interval"] = "00:00:00",
            ["Logging__LogLevel__Billing.Grains.Recovery"] = "Information",
        });
        using var http = new HttpClient { BaseAddress = cluster.AdminBase };

        using var start = await http.PostAsync("/admin/stripe/import", null);
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        var jobId = (string)JsonNode.Parse(await start.Content.ReadAsStringAsync())!["id"]!;

        await WaitForAsync(http, jobId, job => (long)job["counts"]!["fetched"]! >= 500, TimeSpan.FromSeconds(90));
        var victim = cluster.Silos.Single(s => File.ReadAllText(s.Process.LogPath).Contains($"Started recovery job {jobId}", StringComparison.Ordinal));
        var before = await WaitForAsync(http, jobId, _ => true, TimeSpan.FromSeconds(5));
        cluster.Kill(victim);
        Output.WriteLine($"SIGKILL of silo-{victim.Number}, which ran the import, at {before["counts"]!["fetched"]} fetched");
        await cluster.StartSiloAsync();

        var job = await WaitForAsync(http, jobId, j => (string)j["state"]! != "running", TimeSpan.FromSeconds(180));
        Output.WriteLine($"import ended: {job.ToJsonString()}");
        Assert.Equal("done", (string)job["state"]!);
        // What the killed silo applied after its last saved cursor is fetched again by the resumed job and counted as
        // a duplicate there (how many depends on when the kill lands): every subscription is counted once either way,
        // and the journal below shows each applied exactly once.
        var counts = job["counts"]!;
        Assert.Equal(count, (long)counts["applied"]! + (long)counts["duplicate"]!);
        Assert.Equal(0, (long)counts["failed"]!);
        Assert.Contains(cluster.Silos, s => File.ReadAllText(s.Process.LogPath).Contains($"Resuming recovery job {jobId}", StringComparison.Ordinal));

        // Exactly once in the journal: one import entry per customer, none twice.
        await using var command = Database.DataSource.CreateCommand(
            "SELECT count(*), count(DISTINCT customer_id) FROM billing_journal WHERE source = 'import'");
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        Assert.Equal((count, count), (reader.GetInt64(0), reader.GetInt64(1)));

        for (var i = 0; i < count; i += 97)
        {
            var customer = await http.GetFromJsonAsync<JsonNode>($"/admin/customers/{Customer(i)}");
            Assert.Equal(i % 10 == 9 ? "NONE" : "ACTIVE", (string)customer!["access"]!);
        }
    }

    private static string Customer(int i) => $"cus_crash_{i:D4}";

    private static async Task<JsonNode> WaitForAsync(HttpClient http, string jobId, Func<JsonNode, bool> condition, TimeSpan timeout)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (true)
        {
            try
            {
                var jobs = await http.GetFromJsonAsync<JsonNode>("/admin/stripe/jobs");
                var job = jobs!["jobs"]!.AsArray().Single(j => (string)j!["id"]! == jobId)!;
                if (condition(job))
                {
                    return job;
                }
            }
            catch (HttpRequestException) when (DateTimeOffset.UtcNow < deadline)
            {
                // The gateway answers 503 for a moment while the cluster notices the dead silo.
            }

            Assert.True(DateTimeOffset.UtcNow < deadline, $"job {jobId}: condition not met in {timeout}");
            await Task.Delay(250);
        }
    }
}
