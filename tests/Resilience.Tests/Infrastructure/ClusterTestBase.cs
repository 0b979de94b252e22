using Billing.Testing.Outbound;
using Billing.Testing.Postgres;

namespace Billing.Resilience.Tests.Infrastructure;

/// <summary>
/// A fresh migrated database, a recording fulfillment receiver, and helpers to run a scenario under webhook load.
/// <c>BILLING_RESILIENCE_LONG=1</c> makes every scenario longer and heavier (manual runs).
/// </summary>
public abstract class ClusterTestBase(ITestOutputHelper output) : IAsyncLifetime
{
    private TestDatabase? _database;
    private RecordingReceiver? _receiver;
    private BillingCluster? _cluster;

    /// <summary>Longer, heavier runs for a person at a terminal.</summary>
    protected static bool LongRun => Environment.GetEnvironmentVariable("BILLING_RESILIENCE_LONG") == "1";

    protected ITestOutputHelper Output { get; } = output;

    internal TestDatabase Database => _database!;

    internal RecordingReceiver Receiver => _receiver!;

    internal BillingCluster Cluster => _cluster!;

    /// <summary>Webhook load in events per second (few: the box has 2 cores, and other test projects run too).</summary>
    protected static double Rate => LongRun ? 120 : 60;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync("resilience");
        _receiver = await RecordingReceiver.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }

        if (_receiver is not null)
        {
            await _receiver.DisposeAsync();
        }

        if (_database is not null && Environment.GetEnvironmentVariable("BILLING_RESILIENCE_KEEP_DATABASE") == "1")
        {
            Output.WriteLine($"database kept: {_database.Name}");
        }
        else if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    /// <summary>
    /// Starts the silos and the gateway; <paramref name="productConnectionString"/> defaults to the database's;
    /// <paramref name="settings"/> (environment variables) go to every process.
    /// </summary>
    internal async Task<BillingCluster> StartClusterAsync(int silos, string? productConnectionString = null,
        IReadOnlyDictionary<string, string>? settings = null)
    {
        _cluster = await BillingCluster.StartAsync(silos, productConnectionString ?? Database.ConnectionString, Database.DataSource,
            Receiver.Url(Outcome.FulfillmentPath), Output, settings);
        return _cluster;
    }

    /// <summary>
    /// Runs webhook load while <paramref name="scenario"/> runs, stops taking new customers when it returns, waits for
    /// every customer begun to finish, and prints the load's numbers. Any failure prints the processes' logs.
    /// </summary>
    internal async Task<WebhookLoad> RunUnderLoadAsync(Func<WebhookLoad, Task> scenario, int maxCustomers = 5000)
    {
        var load = new WebhookLoad(Cluster.WebhookBase, concurrency: 16, Rate, maxCustomers);
        var running = load.RunAsync();
        try
        {
            await scenario(load);
        }
        catch
        {
            Output.WriteLine(Cluster.DescribeLogs());
            throw;
        }
        finally
        {
            load.Stop();
            await running.WaitAsync(TimeSpan.FromMinutes(3));
        }

        Output.WriteLine($"load: {load.Summary()}");
        return load;
    }

    /// <summary>Collects what the cluster ended with, prints it and asserts nothing was lost or doubled.</summary>
    internal async Task<Outcome> VerifyAsync(WebhookLoad load)
    {
        Assert.Empty(load.Failures);
        var outcome = await Outcome.CollectAsync(Cluster, load, Receiver, Database.DataSource, Output);
        Output.WriteLine($"outcome: {outcome}");
        if (outcome.Lost != 0 || outcome.Doubled != 0)
        {
            Output.WriteLine(Cluster.DescribeLogs());
        }

        Assert.Equal(0, outcome.Lost);
        Assert.Equal(0, outcome.Doubled);
        return outcome;
    }
}
