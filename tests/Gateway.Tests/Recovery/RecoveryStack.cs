using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Billing.Gateway.Tests.Infrastructure;
using Billing.Testing.Postgres;
using Billing.Testing.Stripe;

namespace Billing.Gateway.Tests.Recovery;

/// <summary>
/// The whole product on its own database with Stripe's API served by the local stub (<c>Stripe:ApiBase</c>), and the
/// admin calls a recovery test makes: start a job, wait for it, read the drift and a customer's history.
/// </summary>
public sealed class RecoveryStack : IAsyncDisposable
{
    private RecoveryStack(TestDatabase database, StripeApiStub stripe, BillingStack stack)
    {
        Database = database;
        Stripe = stripe;
        Stack = stack;
    }

    /// <summary>The product.</summary>
    public BillingStack Stack { get; }

    /// <summary>Stripe's API.</summary>
    public StripeApiStub Stripe { get; }

    private TestDatabase Database { get; }

    /// <summary>
    /// Starts the stub and the product with recovery settings fit for tests (fast retries and scheduling; no poll and
    /// no reconciliation unless <paramref name="settings"/> turn them on); <paramref name="seed"/> fills the stub first.
    /// </summary>
    public static async Task<RecoveryStack> StartAsync(string name, Action<StripeApiStub>? seed = null,
        IDictionary<string, string?>? settings = null, bool apiKey = true)
    {
        var database = await TestDatabase.CreateAsync(name);
        var stripe = await StripeApiStub.StartAsync();
        seed?.Invoke(stripe);
        var configuration = new Dictionary<string, string?>
        {
            ["Stripe:ApiBase"] = stripe.BaseAddress.ToString(),
            ["Stripe:Sync:PollInterval"] = "00:00:00",
            ["Stripe:Sync:MaxRequestsPerSecond"] = "100",
            ["Stripe:Sync:SchedulerInterval"] = "00:00:01",
            ["Stripe:Sync:RetryDelay"] = "00:00:00.050",
            ["Stripe:Sync:MaxRetryDelay"] = "00:00:00.500",
            ["Stripe:Sync:StallDelay"] = "00:00:00.500",
            ["Billing:Reconcile:Interval"] = "00:00:00",
        };
        if (apiKey)
        {
            configuration["Stripe:ApiKey"] = "sk_test_stub";
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }

        return new RecoveryStack(database, stripe, await BillingStack.StartAsync(database, configuration));
    }

    /// <summary>POSTs <paramref name="path"/> and returns the answer.</summary>
    public async Task<(HttpStatusCode Status, JsonNode Body)> PostAsync(string path, object? body = null)
    {
        using var response = body is null
            ? await Stack.Admin.PostAsync(path, null)
            : await Stack.Admin.PostAsJsonAsync(path, body);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    /// <summary>GETs <paramref name="path"/> (200 expected).</summary>
    public async Task<JsonNode> GetAsync(string path)
    {
        using var response = await Stack.Admin.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    /// <summary>Waits until the job <paramref name="id"/> is no longer running and returns it.</summary>
    public async Task<JsonNode> WaitForJobAsync(string id, TimeSpan? timeout = null)
    {
        var deadline = DateTimeOffset.UtcNow + (timeout ?? TimeSpan.FromSeconds(120));
        while (true)
        {
            var job = (await GetAsync("/admin/stripe/jobs"))["jobs"]!.AsArray().Single(j => (string)j!["id"]! == id)!;
            if ((string)job["state"]! != "running")
            {
                return job;
            }

            Assert.True(DateTimeOffset.UtcNow < deadline, $"job {id} still running: {job.ToJsonString()}");
            await Task.Delay(200);
        }
    }

    /// <summary>Starts a job at <paramref name="path"/> (202 expected) and waits for it.</summary>
    public async Task<JsonNode> RunJobAsync(string path, object? body = null, TimeSpan? timeout = null)
    {
        var (status, job) = await PostAsync(path, body);
        Assert.True(status == HttpStatusCode.Accepted, $"{path}: {(int)status} {job.ToJsonString()}");
        return await WaitForJobAsync((string)job["id"]!, timeout);
    }

    /// <summary>The customer's access and features now.</summary>
    public async Task<(string Access, string[] Features)> EntitlementsAsync(string customer)
    {
        var json = await GetAsync($"/admin/customers/{Uri.EscapeDataString(customer)}");
        return ((string)json["access"]!, [.. json["features"]!.AsArray().Select(f => (string)f!)]);
    }

    /// <summary>The customer's whole history (event id, type, source), oldest first.</summary>
    public async Task<List<(string EventId, string Type, string Source, bool Changed)>> HistoryAsync(string customer)
    {
        var events = (await GetAsync($"/admin/customers/{Uri.EscapeDataString(customer)}/events?page_size=500"))["events"]!.AsArray();
        return [.. events.Select(e => ((string)e!["event_id"]!, (string)e["type"]!, (string)e["source"]!, (bool)e["changed"]!))];
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await Stack.DisposeAsync();
        await Stripe.DisposeAsync();
        await Database.DisposeAsync();
    }
}
