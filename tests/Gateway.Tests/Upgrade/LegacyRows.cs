using System.Text.Json;
using System.Text.Json.Nodes;
using Billing.Grains;
using Billing.Grains.Customers;
using Billing.Grains.Upgrade;
using Billing.Silo.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Orleans.TestingHost;

namespace Billing.Gateway.Tests.Upgrade;

/// <summary>
/// Writes state rows the way versions before the journal wrote them: through Orleans' ADO.NET grain storage (so the
/// keys and the payload are exactly Orleans'), from a bare silo that has grain storage and nothing else, under the
/// service id the tests' stacks use.
/// </summary>
internal sealed class LegacyRows : IAsyncDisposable
{
    private readonly InProcessTestCluster _cluster;

    private LegacyRows(InProcessTestCluster cluster) => _cluster = cluster;

    public static async Task<LegacyRows> StartAsync(string connectionString)
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.Options.ClusterId = $"legacy-{Guid.NewGuid():N}"[..20];
        builder.Options.ServiceId = "billing-tests";
        builder.ConfigureSilo((_, silo) => silo.AddBillingPersistence(connectionString));
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new LegacyRows(cluster);
    }

    /// <summary>
    /// Writes <paramref name="legacy"/> as the customer's state row (over whatever row is there), flat, as the previous
    /// version's state class was: the fold's properties, the applied event ids and the outbox side by side.
    /// </summary>
    public async Task WriteCustomerAsync(string customerId, LegacyCustomerState legacy)
    {
        var row = JsonSerializer.SerializeToNode(legacy.State)!.AsObject();
        row["AppliedEvents"] = JsonSerializer.SerializeToNode(legacy.AppliedEvents);
        row["PendingFulfillment"] = JsonSerializer.SerializeToNode(legacy.PendingFulfillment);
        row["PendingNotifications"] = JsonSerializer.SerializeToNode(legacy.PendingNotifications);
        row["OutboxReminderRegistered"] = legacy.PendingFulfillment.Count + legacy.PendingNotifications.Count > 0;

        var grainId = _cluster.Client.GetGrain<ICustomerGrain>(customerId).GetGrainId();
        var current = new GrainState<JsonObject>(new JsonObject());
        await Storage.ReadStateAsync("customer", grainId, current);
        current.State = row;
        await Storage.WriteStateAsync("customer", grainId, current);
    }

    /// <summary>Writes a consumer's state row as the consumers of earlier versions kept it (handled message ids).</summary>
    public async Task WriteConsumerAsync(string stateName, string customerId, Dictionary<string, long> handled)
    {
        var grainId = _cluster.Client.GetGrain<ICustomerGrain>(customerId).GetGrainId();
        await Storage.WriteStateAsync(stateName, grainId, new GrainState<Dictionary<string, Dictionary<string, long>>>(new() { ["Handled"] = handled }));
    }

    private IGrainStorage Storage =>
        _cluster.GetSiloServiceProvider(_cluster.Silos[0].SiloAddress).GetRequiredKeyedService<IGrainStorage>(Constants.StorageName);

    public async ValueTask DisposeAsync()
    {
        await _cluster.StopAllSilosAsync();
        await _cluster.DisposeAsync();
    }
}
