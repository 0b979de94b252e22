using System.Net;
using Billing.Grains;
using Billing.Grains.Anomalies;
using Billing.Grains.Anomalies.Store;
using Billing.Grains.Changes;
using Billing.Insights;
using Billing.Grains.Fanout;
using Billing.Grains.Journal;
using Billing.Grains.Recovery;
using Billing.Grains.Risk;
using Billing.Journal;
using Billing.Grains.Subscriptions;
using Billing.Recovery;
using Billing.Outbound;
using Billing.ServiceDefaults;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;
using Orleans.Runtime.Hosting;
using Orleans.Streams;

namespace Billing.Silo.Hosting;

/// <summary>How a Billing silo is put together. Tests use the same pieces on their TestCluster silos.</summary>
public static class SiloHostingExtensions
{
    /// <summary>Adds the Orleans silo with Billing's clustering, storage, reminders and grain services.</summary>
    public static IHostApplicationBuilder AddBillingSilo(this IHostApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var connectionString = configuration.GetBillingConnectionString();
        var journalInMemory = configuration.GetValue<bool>($"{JournalOptions.SectionName}:InMemory");
        builder.Services.AddBillingGrainServices();
        builder.AddOutbound();
        builder.Services.AddDeadLetterPurge();
        builder.UseOrleans(silo =>
        {
            silo.UseBillingClustering(configuration);
            silo.UseBillingFailureDetection(configuration);

            // An in-memory journal keeps its snapshots in memory too: a snapshot must never outlive its journal.
            silo.AddBillingPersistence(journalInMemory ? null : connectionString);
            silo.AddBillingJournal(connectionString, journalInMemory);
            silo.AddBillingRecovery(connectionString);
            silo.AddBillingAnomalies(connectionString);
            silo.Services.AddBillingRiskIndex(journalInMemory ? null : connectionString); // derived from the journal: kept beside it
            silo.AddBillingStreams();
            silo.AddEntitlementsFeed();
            silo.AddActivityPropagation();
            silo.AddBillingDashboard(configuration);
        });

        if (connectionString is null || journalInMemory)
        {
            builder.Services.AddHostedService<InMemoryWarning>();
        }

        // /readyz: Active in the membership. /healthz stays dependency-free (liveness).
        builder.Services.AddHealthChecks().AddCheck<SiloMembershipHealthCheck>(SiloMembershipHealthCheck.Name);

        // The web host (health port) is started after every other hosted service, so by default it would listen only
        // once the silo has joined: nothing would answer /healthz during a slow join, and /readyz could never say
        // "joining". Started side by side, the health port answers within a moment of start, /readyz 503 until Active.
        builder.Services.Configure<HostOptions>(options => options.ServicesStartConcurrently = true);
        return builder;
    }

    /// <summary>The options and services the grains need, validated at start-up.</summary>
    public static IServiceCollection AddBillingGrainServices(this IServiceCollection services)
    {
        services.AddOptions<BillingOptions>()
            .BindConfiguration(BillingOptions.SectionName)
            .PostConfigure<IConfiguration>(AddCommaSeparatedCatalogEntries)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<BillingOptions>, BillingOptionsValidator>();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<ISubscriptionStatusSource, StripeSubscriptionStatusSource>();
        return services;
    }

    /// <summary>
    /// Each customer's journal (PostgreSQL with the silo's group-commit writer, or memory: see
    /// <see cref="JournalServiceCollectionExtensions.AddBillingJournal"/>), and the cluster's journal sweeper, kept
    /// running by every silo (it runs once in the cluster).
    /// </summary>
    public static ISiloBuilder AddBillingJournal(this ISiloBuilder silo, string? connectionString, bool inMemory)
    {
        ArgumentNullException.ThrowIfNull(silo);
        silo.Services.AddBillingJournal(connectionString, inMemory);
        silo.Services.AddSingleton<JournalSweeperKeeper>();
        silo.Services.AddHostedService(services => services.GetRequiredService<JournalSweeperKeeper>());
        silo.AddStartupTask((services, _) =>
        {
            services.GetRequiredService<JournalSweeperKeeper>().SiloActive();
            return Task.CompletedTask;
        });
        return silo;
    }

    /// <summary>
    /// Recovery from Stripe's API (ADR 0009): the budgeted client, the store of jobs and drift (PostgreSQL, or memory
    /// without a connection string), and every silo's keeper of the cluster's recovery scheduler.
    /// </summary>
    public static ISiloBuilder AddBillingRecovery(this ISiloBuilder silo, string? connectionString)
    {
        ArgumentNullException.ThrowIfNull(silo);
        silo.Services.AddBillingRecovery(connectionString);
        silo.Services.AddSingleton<SyncRunFactory>();
        silo.Services.AddSingleton<RecoveryKeeper>();
        silo.Services.AddHostedService(services => services.GetRequiredService<RecoveryKeeper>());
        silo.AddStartupTask((services, _) =>
        {
            services.GetRequiredService<RecoveryKeeper>().SiloActive();
            return Task.CompletedTask;
        });
        return silo;
    }

    /// <summary>
    /// Anomaly detection (ADR 0012): the detectors' options (<c>Billing:Anomalies</c>, validated at start-up), where
    /// anomalies are kept (PostgreSQL, or memory without a connection string), their delivery and their metrics.
    /// </summary>
    public static ISiloBuilder AddBillingAnomalies(this ISiloBuilder silo, string? connectionString)
    {
        ArgumentNullException.ThrowIfNull(silo);
        var services = silo.Services;
        services.AddOptions<DetectionOptions>().BindConfiguration(DetectionOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DetectionOptions>, DetectionOptionsValidator>();
        if (connectionString is null)
        {
            services.AddSingleton<AnomalyStore, InMemoryAnomalyStore>();
        }
        else
        {
            services.AddKeyedSingleton(nameof(AnomalyStore), (_, _) => NpgsqlDataSource.Create(connectionString));
            services.AddSingleton<AnomalyStore>(provider =>
                new PostgresAnomalyStore(provider.GetRequiredKeyedService<NpgsqlDataSource>(nameof(AnomalyStore))));
        }

        services.AddSingleton<AnomalyNotifier>();
        services.AddSingleton<InsightsMetrics>();
        return silo;
    }

    /// <summary>
    /// This silo's feed of entitlement changes, which gateways follow to keep their near-cache (ADR 0010): the feed, its
    /// door grain (placed on the silo its key names) and the options.
    /// </summary>
    public static ISiloBuilder AddEntitlementsFeed(this ISiloBuilder silo)
    {
        ArgumentNullException.ThrowIfNull(silo);
        silo.Services.AddOptions<EntitlementsFeedOptions>().BindConfiguration(EntitlementsFeedOptions.SectionName)
            .Validate(options => options.HeartbeatInterval > TimeSpan.Zero && options.HeartbeatInterval <= TimeSpan.FromSeconds(10) &&
                                 options.BatchDelay >= TimeSpan.Zero && options.BatchDelay < options.HeartbeatInterval,
                "Billing:EntitlementsFeed:HeartbeatInterval must be above 0 and at most 10 s; BatchDelay at least 0 and below it")
            .ValidateOnStart();
        silo.Services.AddSingleton<EntitlementsFeed>();
        silo.Services.AddHostedService(services => services.GetRequiredService<EntitlementsFeed>());
        silo.AddPlacementDirector<SiloBoundPlacement, SiloBoundPlacementDirector>();
        return silo;
    }

    /// <summary>
    /// The fan-out streams: memory streams with implicit subscriptions only, so no pub-sub state is lost on deploys.
    /// They lose in-flight items when a silo dies; consumers fill such gaps from the journal.
    /// </summary>
    public static ISiloBuilder AddBillingStreams(this ISiloBuilder silo) =>
        silo.AddMemoryStreams(FanoutStreams.ProviderName, streams => streams.ConfigureStreamPubSub(StreamPubSubType.ImplicitOnly));

    // The binder fills string[] from "Billing:Catalog:price_x:0"-style keys only; an operator writing one
    // comma-separated value ("Billing__Catalog__price_x=a,b") means the same, so accept it too.
    private static void AddCommaSeparatedCatalogEntries(BillingOptions options, IConfiguration configuration)
    {
        foreach (var entry in configuration.GetSection($"{BillingOptions.SectionName}:Catalog").GetChildren())
        {
            if (entry.Value is { Length: > 0 } features)
            {
                options.Catalog[entry.Key] = features.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            }
        }
    }

    /// <summary>
    /// Grain storage and reminders: ADO.NET on PostgreSQL when a connection string is given, in memory otherwise.
    /// <paramref name="storageName"/> lets tests put a fault-injecting storage in front of the real one.
    /// </summary>
    public static ISiloBuilder AddBillingPersistence(this ISiloBuilder silo, string? connectionString,
        string storageName = Constants.StorageName)
    {
        ArgumentNullException.ThrowIfNull(silo);
        if (connectionString is null)
        {
            silo.AddMemoryGrainStorage(storageName);
            silo.UseInMemoryReminderService();
            return silo;
        }

        // Orleans' queries leave no session state behind, so a pooled connection needs no DISCARD ALL (one more
        // statement, and transaction, for every snapshot read or write).
        var pooled = new NpgsqlConnectionStringBuilder(connectionString) { NoResetOnClose = true }.ConnectionString;
        silo.AddAdoNetGrainStorage(storageName, options =>
        {
            options.Invariant = OrleansClusterExtensions.NpgsqlInvariant;
            options.ConnectionString = pooled;
        });
        silo.UseAdoNetReminderService(options =>
        {
            options.Invariant = OrleansClusterExtensions.NpgsqlInvariant;
            options.ConnectionString = pooled;
        });

        // The default writes Newtonsoft JSON with $type (assembly names in the database); state is plain data.
        silo.UseSystemTextJsonGrainStorageSerializer();
        return silo;
    }

    /// <summary>
    /// How fast a crashed silo is declared dead and how long a call waits for a silo that does not answer: tuned
    /// from Orleans' defaults (≈30 s of failing webhooks after a SIGKILL) to ≈6 s; see docs/adr/0005. Each value can
    /// be overridden with <c>Orleans:Membership:*</c> (<see cref="ClusterMembershipOptions"/>) and
    /// <c>Orleans:Messaging:ResponseTimeout</c>; <c>Orleans:SiloName</c> names the silo (Kubernetes: the pod name).
    /// </summary>
    public static ISiloBuilder UseBillingFailureDetection(this ISiloBuilder silo, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(silo);
        var section = configuration.GetSection(OrleansClusterExtensions.SectionName);
        silo.Services.AddOptions<ClusterMembershipOptions>()
            .Configure(options =>
            {
                // A silo misses a probe after 2 s (below 2 s, busy 2-core hosts missed probes of healthy silos);
                // two missed probes make a suspicion, two suspicions (or one when only two silos vote) a death.
                options.ProbeTimeout = TimeSpan.FromSeconds(2);
                options.NumMissedProbesLimit = 2;
                options.NumVotesForDeathDeclaration = 2;
                options.DeathVoteExpirationTimeout = TimeSpan.FromSeconds(30);
                // Everyone reads the membership table every 2 s, so a death is known cluster-wide quickly.
                options.TableRefreshTimeout = TimeSpan.FromSeconds(2);
                options.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(10);
            })
            .Bind(section.GetSection("Membership"));
        silo.Services.AddOptions<SiloMessagingOptions>()
            .Configure(options => options.ResponseTimeout = TimeSpan.FromSeconds(5))
            .Bind(section.GetSection("Messaging"));
        if (section["SiloName"] is { Length: > 0 } siloName)
        {
            silo.Services.Configure<SiloOptions>(options => options.SiloName = siloName);
        }

        return silo;
    }

    private static ISiloBuilder UseBillingClustering(this ISiloBuilder silo, IConfiguration configuration)
    {
        var section = configuration.GetSection(OrleansClusterExtensions.SectionName);
        var siloPort = section.GetValue("SiloPort", EndpointOptions.DEFAULT_SILO_PORT);
        var gatewayPort = section.GetValue("GatewayPort", EndpointOptions.DEFAULT_GATEWAY_PORT);

        if (configuration.GetBillingConnectionString() is { } connectionString)
        {
            silo.UseAdoNetClustering(options =>
            {
                options.Invariant = OrleansClusterExtensions.NpgsqlInvariant;
                options.ConnectionString = connectionString;
            });
            var advertised = section["AdvertisedIP"] is { Length: > 0 } ip ? IPAddress.Parse(ip) : IPAddress.Loopback;
            silo.ConfigureEndpoints(advertised, siloPort, gatewayPort, listenOnAnyHostAddress: !IPAddress.IsLoopback(advertised));
        }
        else
        {
            var (clusterId, serviceId) = configuration.GetBillingClusterIdentity();
            silo.UseLocalhostClustering(siloPort, gatewayPort, serviceId: serviceId, clusterId: clusterId);
        }

        silo.Services.AddBillingClusterIdentity(configuration);
        return silo;
    }
}
