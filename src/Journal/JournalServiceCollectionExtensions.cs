using Billing.Journal.InMemory;
using Billing.Journal.Postgres;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Billing.Journal;

/// <summary>Registers the journal of a silo.</summary>
public static class JournalServiceCollectionExtensions
{
    private const string DataSourceKey = "billing-journal";

    /// <summary>
    /// Adds <see cref="JournalOptions"/> (validated at start-up) and the <see cref="IJournalStore"/>: PostgreSQL with
    /// the silo-wide <see cref="GroupCommitWriter"/> when <paramref name="connectionString"/> is given and
    /// <c>Billing:Journal:InMemory</c> is not set, memory otherwise. The concrete store is registered too, so that a
    /// host (the tests) can put its own <see cref="IJournalStore"/> in front of it by registering that first.
    /// </summary>
    public static IServiceCollection AddBillingJournal(this IServiceCollection services, string? connectionString, bool inMemory)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<JournalOptions>()
            .BindConfiguration(JournalOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<JournalOptions>, JournalOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<JournalMetrics>();

        if (connectionString is null || inMemory)
        {
            services.TryAddSingleton<InMemoryJournalStore>();
            services.TryAddSingleton<IJournalStore>(provider => provider.GetRequiredService<InMemoryJournalStore>());
            services.TryAddSingleton<ICustomerLookup>(provider => new InMemoryCustomerLookup(provider.GetRequiredService<IJournalStore>()));
            return services;
        }

        services.TryAddKeyedSingleton(DataSourceKey, (_, _) =>
        {
            // The journal's few statements run thousands of times a second: prepared once per connection, they skip
            // parsing and planning. The journal never changes session state, so a connection going back to the pool
            // needs no reset (with prepared statements Npgsql's reset is eight statements, each a transaction).
            var settings = new NpgsqlConnectionStringBuilder(connectionString);
            if (settings.MaxAutoPrepare == 0)
            {
                settings.MaxAutoPrepare = 32;
                settings.AutoPrepareMinUsages = 2;
            }

            settings.NoResetOnClose = true;

            return NpgsqlDataSource.Create(settings);
        });
        services.TryAddSingleton(provider => new GroupCommitWriter(
            provider.GetRequiredKeyedService<NpgsqlDataSource>(DataSourceKey),
            provider.GetRequiredService<IOptions<JournalOptions>>(),
            provider.GetRequiredService<JournalMetrics>(),
            provider.GetRequiredService<Microsoft.Extensions.Logging.ILogger<GroupCommitWriter>>()));
        services.TryAddSingleton(provider => new GroupLoader(
            provider.GetRequiredKeyedService<NpgsqlDataSource>(DataSourceKey),
            provider.GetRequiredService<IOptions<JournalOptions>>().Value.CommitTimeout));
        services.TryAddSingleton(provider => new PostgresJournalStore(
            provider.GetRequiredKeyedService<NpgsqlDataSource>(DataSourceKey),
            provider.GetRequiredService<GroupCommitWriter>(),
            provider.GetRequiredService<GroupLoader>()));
        services.TryAddSingleton<IJournalStore>(provider => provider.GetRequiredService<PostgresJournalStore>());
        services.TryAddSingleton<ICustomerLookup>(provider =>
            new PostgresCustomerLookup(provider.GetRequiredKeyedService<NpgsqlDataSource>(DataSourceKey)));
        return services;
    }
}
