using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Npgsql;
using Polly;

namespace Billing.Outbound;

/// <summary>Registers outbound deliveries: options (validated at start), the named clients, the dead-letter store.</summary>
public static class OutboundExtensions
{
    /// <summary>The configuration key of the connection string that holds the dead letters.</summary>
    public const string ConnectionStringName = "Billing";

    private const string DataSourceKey = "billing-outbound";

    /// <summary>
    /// Adds <see cref="OutboundOptions"/> (validated at start-up), the named <see cref="HttpClient"/>s with their
    /// resilience pipeline, <see cref="OutboundDelivery"/> and <see cref="DeadLetterStore"/>. Calling it twice is harmless.
    /// </summary>
    public static IHostApplicationBuilder AddOutbound(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOutbound();
        return builder;
    }

    /// <summary>
    /// The same as <see cref="AddOutbound(IHostApplicationBuilder)"/> for a service collection; the configuration is the
    /// host's <see cref="IConfiguration"/>.
    /// </summary>
    public static IServiceCollection AddOutbound(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(descriptor => descriptor.ServiceType == typeof(OutboundDelivery)))
        {
            return services;
        }

        services.AddOptions<OutboundOptions>()
            .BindConfiguration(OutboundOptions.SectionName)
            .Configure<IConfiguration>(ReadEndpoints)
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<OutboundOptions>, OutboundOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();

        // Logged by OutboundDelivery with the endpoint's host only: HttpClientFactory's own logs carry the full URL.
        services.AddHttpClient(OutboundDelivery.ClientName)
            .ConfigurePrimaryHttpMessageHandler(CreateHandler)
            .ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan) // the pipeline's timeouts rule
            .RemoveAllLoggers()
            .AddResilienceHandler("outbound", ConfigurePipeline)
            .SelectPipelineByAuthority();
        services.AddHttpClient(OutboundDelivery.ReplayClientName)
            .ConfigurePrimaryHttpMessageHandler(CreateHandler)
            .ConfigureHttpClient((provider, client) =>
                client.Timeout = provider.GetRequiredService<IOptions<OutboundOptions>>().Value.AttemptTimeout)
            .RemoveAllLoggers();

        services.TryAddKeyedSingleton(DataSourceKey, (provider, _) =>
            NpgsqlDataSource.Create(provider.GetRequiredService<IConfiguration>().GetConnectionString(ConnectionStringName)!));
        services.TryAddSingleton(CreateDeadLetterStore);
        services.TryAddSingleton<OutboundDelivery>();
        services.AddHostedService<OutboundStartupLog>();
        return services;
    }

    /// <summary>
    /// Adds the periodic purge of dead letters past <c>Billing:Outbound:DeadLetterRetention</c> (<see cref="DeadLetterPurge"/>):
    /// the silos call it, where deliveries (and an in-memory store's dead letters) live.
    /// </summary>
    public static IServiceCollection AddDeadLetterPurge(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOutbound();
        if (!services.Any(descriptor => descriptor.ImplementationType == typeof(DeadLetterPurge)))
        {
            services.AddHostedService<DeadLetterPurge>();
        }

        return services;
    }

    private static void ReadEndpoints(OutboundOptions options, IConfiguration configuration)
    {
        options.FulfillmentEndpoints = ReadList(configuration.GetSection(OutboundOptions.FulfillmentEndpointsKey));
        options.NotificationEndpoints = ReadList(configuration.GetSection(OutboundOptions.NotificationEndpointsKey));
    }

    // An array (Billing__Fulfillment__Endpoints__0=...) or one comma-separated value (Billing__Fulfillment__Endpoints=a,b).
    private static string[] ReadList(IConfigurationSection section) =>
        section.Value is { Length: > 0 } value
            ? value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            : section.GetChildren()
                .OrderBy(child => int.TryParse(child.Key, out var index) ? index : int.MaxValue)
                .Select(child => child.Value?.Trim() ?? string.Empty)
                .ToArray();

    private static SocketsHttpHandler CreateHandler() => new()
    {
        // A redirect is a misconfigured endpoint: it is answered like a refusal, not followed with the signed body.
        AllowAutoRedirect = false,
        UseCookies = false,
        // Endpoints behind DNS (Kubernetes services) move: do not keep a connection to an old address for ever.
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
    };

    /// <summary>
    /// One endpoint's budget per call (a pipeline per authority): a total timeout around exponential retries with jitter
    /// of transient failures only, a circuit breaker (opens on a sustained failure ratio, so a dead endpoint fails
    /// fast instead of holding every caller for the whole budget), and a timeout per attempt.
    /// </summary>
    private static void ConfigurePipeline(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, ResilienceHandlerContext context)
    {
        var options = context.ServiceProvider.GetRequiredService<IOptions<OutboundOptions>>().Value;
        var time = context.ServiceProvider.GetRequiredService<TimeProvider>();

        pipeline.AddTimeout(new HttpTimeoutStrategyOptions { Name = "total", Timeout = options.TotalTimeout });
        if (options.MaxAttempts > 1)
        {
            pipeline.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxAttempts - 1,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryDelay,
                MaxDelay = options.TotalTimeout,
                ShouldRetryAfterHeader = true,
                ShouldHandle = arguments => ValueTask.FromResult(DeliveryFailures.ShouldRetry(arguments.Outcome, options.TotalTimeout, time)),
            });
        }

        pipeline.AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions());
        pipeline.AddTimeout(new HttpTimeoutStrategyOptions { Name = "attempt", Timeout = options.AttemptTimeout });
    }

    private static DeadLetterStore CreateDeadLetterStore(IServiceProvider provider)
    {
        var configuration = provider.GetRequiredService<IConfiguration>();
        return string.IsNullOrWhiteSpace(configuration.GetConnectionString(ConnectionStringName))
            ? ActivatorUtilities.CreateInstance<InMemoryDeadLetterStore>(provider)
            : new PostgresDeadLetterStore(provider.GetRequiredKeyedService<NpgsqlDataSource>(DataSourceKey));
    }
}
