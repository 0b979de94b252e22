using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Billing.Grains.Risk;

/// <summary>Registers the at-risk index of a silo.</summary>
public static class RiskIndexServiceCollectionExtensions
{
    /// <summary>
    /// Adds the <see cref="IRiskIndex"/> the customer grains keep and <see cref="RiskQueriesGrain"/> reads: PostgreSQL on
    /// <paramref name="connectionString"/> (table <c>billing_risk_index</c>, migration 0009), memory without one.
    /// </summary>
    public static IServiceCollection AddBillingRiskIndex(this IServiceCollection services, string? connectionString)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (connectionString is null)
        {
            services.AddSingleton<IRiskIndex, InMemoryRiskIndex>();
            return services;
        }

        services.AddKeyedSingleton(nameof(IRiskIndex), (_, _) => NpgsqlDataSource.Create(connectionString));
        services.AddSingleton<IRiskIndex>(provider => new PostgresRiskIndex(provider.GetRequiredKeyedService<NpgsqlDataSource>(nameof(IRiskIndex))));
        return services;
    }
}
