using System.Globalization;
using Billing.Gateway;
using Billing.Grains;
using Billing.Grains.Risk;
using Billing.Outbound;
using Billing.ServiceDefaults;
using Billing.Silo.Hosting;
using Billing.Testing.Network;
using Billing.Testing.Postgres;
using Billing.Testing.Stripe;
using Billing.V1;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Billing.Journal;
using Billing.Journal.Postgres;
using Orleans.Configuration;
using Orleans.TestingHost;

namespace Billing.Gateway.Tests.Infrastructure;

/// <summary>
/// The whole product on real parts: an Orleans test cluster (Microsoft.Orleans.TestingHost) whose silos store
/// grains and reminders in a real PostgreSQL database migrated by the real runner, and the real gateway on Kestrel
/// at 127.0.0.1, reached over real HTTP and a real gRPC channel. The in-process cluster talks over an in-memory
/// transport, so the gateway uses the cluster's own client; the TCP path between processes is what run.sh and
/// the multi-process tests exercise.
/// </summary>
public sealed class BillingStack : IAsyncDisposable
{
    /// <summary>The current and the previous webhook secret: the gateway accepts both (rotation).</summary>
    public static readonly string[] WebhookSecrets = ["whsec_test_current_0123456789", "whsec_test_previous_9876543210"];

    private BillingStack(TestDatabase database, InProcessTestCluster cluster, WebApplication gateway, Uri webhookBase, Uri grpcAddress, Uri adminBase)
    {
        Admin = new HttpClient { BaseAddress = adminBase, Timeout = TimeSpan.FromSeconds(60) };
        Database = database;
        Cluster = cluster;
        Gateway = gateway;
        Http = new HttpClient { BaseAddress = webhookBase, Timeout = TimeSpan.FromSeconds(60) };
        GrpcChannel = GrpcChannel.ForAddress(grpcAddress);
        Entitlements = new Entitlements.EntitlementsClient(GrpcChannel);
        History = new V1.History.HistoryClient(GrpcChannel);
        Webhooks = new WebhookSender(Http, WebhookSecrets[0]);
    }

    public TestDatabase Database { get; }

    public InProcessTestCluster Cluster { get; }

    public WebApplication Gateway { get; }

    /// <summary>The webhook endpoint (public): the webhook and the probes.</summary>
    public HttpClient Http { get; }

    /// <summary>The admin endpoint: admin routes, the console and the Orleans dashboard.</summary>
    public HttpClient Admin { get; }

    public GrpcChannel GrpcChannel { get; }

    public Entitlements.EntitlementsClient Entitlements { get; }

    public V1.History.HistoryClient History { get; }

    /// <summary>The (first) silo's journal, as the grains see it (through the fault switches).</summary>
    public IJournalStore Journal => Cluster.GetSiloServiceProvider(Cluster.Silos[0].SiloAddress).GetRequiredService<IJournalStore>();

    public WebhookSender Webhooks { get; }

    /// <summary>The fault switches of the (first) silo's journal.</summary>
    public JournalFaults JournalFaults =>
        Cluster.GetSiloServiceProvider(Cluster.Silos[0].SiloAddress).GetRequiredService<JournalFaults>();

    /// <summary>
    /// Starts silos and gateway on <paramref name="database"/> (which the caller owns); <paramref name="siloTime"/>, when
    /// given, is the silos' clock.
    /// </summary>
    public static async Task<BillingStack> StartAsync(TestDatabase database, IDictionary<string, string?>? settings = null, short silos = 1,
        TimeProvider? siloTime = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        var clusterId = $"test-{Guid.NewGuid():N}"[..20];
        var configuration = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Billing"] = database.ConnectionString,
            ["Billing:Catalog:price_pro"] = "reports,exports",
            ["Billing:Catalog:team_monthly"] = "seats",
            ["Billing:Dunning:GracePeriod"] = "3.00:00:00",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }

        var settingsView = new ConfigurationBuilder().AddInMemoryCollection(configuration).Build();
        var builder = new InProcessTestClusterBuilder(silos);
        builder.Options.ClusterId = clusterId;
        builder.Options.ServiceId = "billing-tests";
        builder.ConfigureSiloHost((_, host) =>
        {
            host.Configuration.AddInMemoryCollection(configuration);
            host.Services.AddBillingGrainServices();
            host.AddOutbound();
            host.Services.AddDeadLetterPurge();
            host.Services.AddSingleton<JournalFaults>();
            if (siloTime is not null)
            {
                host.Services.AddSingleton(siloTime);
            }

            // In front of the real journal (registered by AddBillingJournal below, which keeps this one).
            host.Services.AddSingleton<IJournalStore>(services =>
                new FaultInjectingJournalStore(services.GetRequiredService<PostgresJournalStore>(), services.GetRequiredService<JournalFaults>()));
        });
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddBillingPersistence(database.ConnectionString);
            silo.AddBillingJournal(database.ConnectionString, inMemory: false);
            silo.AddBillingRecovery(database.ConnectionString);
            silo.AddBillingAnomalies(database.ConnectionString);
            silo.Services.AddBillingRiskIndex(database.ConnectionString);
            silo.AddBillingStreams();
            silo.AddEntitlementsFeed();
            silo.AddActivityPropagation();
            silo.AddBillingDashboard(settingsView);

            // Production's grain-call timeout is 5 s (UseBillingFailureDetection); the test cluster keeps its own unless
            // a test sets one (after the test host's, hence PostConfigure).
            if (configuration.TryGetValue("Orleans:Messaging:ResponseTimeout", out var responseTimeout) && responseTimeout is not null)
            {
                silo.Services.PostConfigure<SiloMessagingOptions>(options =>
                    options.ResponseTimeout = TimeSpan.Parse(responseTimeout, CultureInfo.InvariantCulture));
            }
        });

        var dashboardServices = new List<Type>();
        builder.ConfigureClient(client =>
        {
            client.AddActivityPropagation().AddBillingDashboard(settingsView);
            dashboardServices.AddRange(client.Services
                .Where(service => service.ServiceType.Assembly == typeof(Orleans.Dashboard.DashboardOptions).Assembly)
                .Select(service => service.ServiceType));
        });
        var cluster = builder.Build();
        await cluster.DeployAsync();

        var webhookPort = FreePort.Next();
        var grpcPort = FreePort.Next();
        var adminPort = FreePort.Next();
        var gatewaySettings = new Dictionary<string, string?>(configuration)
        {
            ["Kestrel:Endpoints:Webhooks:Url"] = $"http://127.0.0.1:{webhookPort}",
            ["Kestrel:Endpoints:Webhooks:Protocols"] = "Http1",
            ["Kestrel:Endpoints:Grpc:Url"] = $"http://127.0.0.1:{grpcPort}",
            ["Kestrel:Endpoints:Grpc:Protocols"] = "Http2",
            ["Kestrel:Endpoints:Admin:Url"] = $"http://127.0.0.1:{adminPort}",
            ["Kestrel:Endpoints:Admin:Protocols"] = "Http1",
        };
        for (var i = 0; i < WebhookSecrets.Length; i++)
        {
            gatewaySettings[$"Stripe:WebhookSecrets:{i}"] = WebhookSecrets[i];
        }

        // An empty content root: the test output folder holds both hosts' appsettings.json; the gateway under test
        // gets exactly the settings above.
        var gateway = GatewayApp.Create(["--contentRoot", LoopbackWebApp.EmptyContentRoot, "--environment", Environments.Development], builder =>
        {
            builder.Configuration.AddInMemoryCollection(gatewaySettings);
            builder.Services.AddSingleton(cluster.Client);

            // In production the gateway's own Orleans client registers the dashboard's services in the gateway's
            // container; here the gateway borrows the test cluster's client, so it borrows those services from it
            // too, by type (some are internal to the package).
            foreach (var type in dashboardServices.Distinct())
            {
                builder.Services.AddSingleton(type, _ => cluster.Client.ServiceProvider.GetRequiredService(type));
            }

            if (dashboardServices.Count > 0)
            {
                builder.Services.AddSingleton(_ => cluster.Client.ServiceProvider.GetRequiredService<IOptions<Orleans.Dashboard.DashboardOptions>>());
            }
        });
        await gateway.StartAsync();

        var stack = new BillingStack(database, cluster, gateway,
            new Uri($"http://127.0.0.1:{webhookPort}"), new Uri($"http://127.0.0.1:{grpcPort}"), new Uri($"http://127.0.0.1:{adminPort}"));
        await stack.WaitUntilReadyAsync();
        return stack;
    }

    private async Task WaitUntilReadyAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            using var response = await Http.GetAsync(new Uri("/readyz", UriKind.Relative));
            if (response.IsSuccessStatusCode)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The gateway never became ready: {await response.Content.ReadAsStringAsync()}");
            }

            await Task.Delay(200);
        }
    }

    public async ValueTask DisposeAsync()
    {
        GrpcChannel.Dispose();
        Http.Dispose();
        Admin.Dispose();
        await Gateway.StopAsync();
        await Gateway.DisposeAsync();
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }
}
