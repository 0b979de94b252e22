using Billing.Gateway.Anomalies;
using Billing.Gateway.Cluster;
using Billing.Gateway.Caching;
using Billing.Gateway.Grpc;
using Billing.Gateway.Webhooks;
using Billing.ServiceDefaults;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Billing.Gateway.Extensions;

/// <summary>Every service the gateway uses, in one readable place.</summary>
public static class Extensions
{
    /// <summary>Options, the Orleans client, the webhook pipeline and the gRPC API.</summary>
    public static IHostApplicationBuilder AddGatewayServices(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;

        services.AddOptions<StripeOptions>().BindConfiguration(StripeOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<StripeOptions>, StripeOptionsValidator>();
        services.AddOptions<GatewayOptions>().BindConfiguration(GatewayOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<GatewayOptions>, GatewayOptionsValidator>();

        // A host that already provides a cluster client (the tests, in front of an in-process test cluster)
        // keeps it; otherwise the gateway is an ordinary Orleans client of the silos.
        if (!services.Any(descriptor => descriptor.ServiceType == typeof(IClusterClient)))
        {
            builder.UseOrleansClient(client =>
            {
                client.UseBillingClustering(builder.Configuration);
                client.AddActivityPropagation();
                client.AddBillingDashboard(builder.Configuration);
            });
        }

        services.AddSingleton<BillingTelemetry>();
        services.AddSingleton<StripeSignatureVerifier>();
        services.AddSingleton<CustomerEventDispatcher>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<EntitlementsCacheOptions>().BindConfiguration(EntitlementsCacheOptions.SectionName)
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<EntitlementsFeedFollower>();
        services.AddHostedService(provider => provider.GetRequiredService<EntitlementsFeedFollower>());
        services.AddSingleton<EntitlementsCache>();
        services.AddHostedService(provider => provider.GetRequiredService<EntitlementsCache>());
        services.AddSingleton<ApiKeyValidator>();
        services.AddSingleton<AnomalySignalForwarder>();
        services.AddHostedService(provider => provider.GetRequiredService<AnomalySignalForwarder>());
        builder.AddAdminApi();
        builder.AddConsole();

        services.AddGrpc(options => options.Interceptors.Add<ApiKeyInterceptor>());
        services.AddGrpcReflection();
        services.AddGrpcHealthChecks();
        services.AddHealthChecks().AddCheck<ClusterHealthCheck>("cluster");

        // The webhook reads at most 1 MiB itself (and answers 413); Kestrel's own limit sits just above it.
        builder.Services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(kestrel =>
            kestrel.Limits.MaxRequestBodySize = WebhookApi.MaxBodyBytes + 1);
        return builder;
    }
}
