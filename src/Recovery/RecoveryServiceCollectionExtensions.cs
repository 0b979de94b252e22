using Billing.Recovery.Api;
using Billing.Recovery.Store;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Npgsql;
using Polly;

namespace Billing.Recovery;

/// <summary>Registers Stripe's API client (budget, pipelines), recovery's options and its store.</summary>
public static class RecoveryServiceCollectionExtensions
{
    /// <summary>How long a fetch inside a customer's turn may take: well below the caller's 5 s response timeout.</summary>
    public static readonly TimeSpan QuickTimeout = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Adds <see cref="StripeApiOptions"/>, <see cref="StripeSyncOptions"/> and <see cref="ReconcileOptions"/> (validated at
    /// start-up), the silo's <see cref="StripeRequestBudget"/>, <see cref="StripeApi"/>, and the <see cref="SyncStore"/> on
    /// <paramref name="connectionString"/> (in memory without one).
    /// </summary>
    public static IServiceCollection AddBillingRecovery(this IServiceCollection services, string? connectionString)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<StripeApiOptions>().BindConfiguration(StripeApiOptions.SectionName)
            .Configure<IConfiguration>((options, configuration) =>
                options.ConnectedAccounts = ReadList(configuration.GetSection($"{StripeApiOptions.SectionName}:ConnectedAccounts")))
            .ValidateOnStart();
        services.AddOptions<StripeSyncOptions>().BindConfiguration(StripeSyncOptions.SectionName).ValidateOnStart();
        services.AddOptions<ReconcileOptions>().BindConfiguration(ReconcileOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<StripeSyncOptions>, SyncOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ReconcileOptions>, SyncOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<StripeApiOptions>, SyncOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);

        services.AddSingleton<StripeRequestBudget>();
        services.AddTransient<StripeRequestBudgetHandler>();
        var patient = services.AddHttpClient(StripeApi.PatientClient)
            .ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan) // the pipeline's timeouts rule
            .RemoveAllLoggers(); // their URLs carry customer ids
        patient.AddResilienceHandler("stripe-patient", ConfigurePatient);
        patient.AddHttpMessageHandler<StripeRequestBudgetHandler>();
        services.AddHttpClient(StripeApi.QuickClient)
            .ConfigureHttpClient(client => client.Timeout = QuickTimeout)
            .RemoveAllLoggers()
            .AddHttpMessageHandler<StripeRequestBudgetHandler>();
        services.AddSingleton<StripeApi>();
        services.TryAddSingleton<RecoveryMetrics>();

        if (connectionString is null)
        {
            services.AddSingleton<SyncStore, InMemorySyncStore>();
        }
        else
        {
            services.AddKeyedSingleton(nameof(SyncStore), (_, _) => NpgsqlDataSource.Create(connectionString));
            services.AddSingleton<SyncStore>(provider =>
                new PostgresSyncStore(provider.GetRequiredKeyedService<NpgsqlDataSource>(nameof(SyncStore))));
        }

        return services;
    }

    // Retries (outer) around a timeout per attempt; the budget handler, added after, sits inside both, so every
    // attempt waits for a token.
    private static void ConfigurePatient(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, ResilienceHandlerContext context)
    {
        var options = context.ServiceProvider.GetRequiredService<IOptions<StripeSyncOptions>>().Value;
        if (options.MaxAttempts > 1)
        {
            pipeline.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxAttempts - 1,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryDelay,
                MaxDelay = options.MaxRetryDelay,
                ShouldRetryAfterHeader = true,
            });
        }

        pipeline.AddTimeout(new HttpTimeoutStrategyOptions { Timeout = options.RequestTimeout });
    }

    // An array (Stripe__ConnectedAccounts__0=acct_1) or one comma-separated value (Stripe__ConnectedAccounts=acct_1,acct_2).
    private static string[] ReadList(IConfigurationSection section) =>
        section.Value is { Length: > 0 } value
            ? value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            : [.. section.GetChildren().Select(child => child.Value?.Trim() ?? string.Empty).Where(v => v.Length > 0)];
}
