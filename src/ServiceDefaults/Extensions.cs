using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Billing.ServiceDefaults;

/// <summary>What every Billing host shares: OpenTelemetry, structured logs and health checks.</summary>
public static class Extensions
{
    /// <summary>
    /// Wires traces, metrics and logs. The OTLP exporter is active only when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>
    /// is set, so a developer's machine exports nothing and pays almost nothing.
    /// </summary>
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder, string serviceName)
        where TBuilder : IHostApplicationBuilder
    {
        builder.Logging.AddJsonConsoleWhenRequested(builder.Configuration);
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddMeter(BillingTelemetry.MeterName, "Microsoft.Orleans", "System.Runtime"));

        // Spans are only recorded when they go somewhere: without an exporter, one per request and grain call would
        // cost allocations on every hot path and show nowhere.
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            telemetry
                .WithTracing(tracing => tracing
                    .AddSource(BillingTelemetry.ActivitySourceName)
                    .AddSource("Microsoft.Orleans.Application", "Microsoft.Orleans.Runtime", "Microsoft.Orleans.Storage")
                    .AddAspNetCoreInstrumentation(o => o.Filter = context =>
                        !context.Request.Path.StartsWithSegments("/healthz") &&
                        !context.Request.Path.StartsWithSegments("/readyz"))
                    .AddHttpClientInstrumentation())
                .UseOtlpExporter();
        }

        builder.Services.AddHealthChecks();
        return builder;
    }

    /// <summary><c>/healthz</c>: the process is alive (no dependency is touched); <c>/readyz</c>: every check passes.</summary>
    public static WebApplication MapHealthEndpoints(this WebApplication app)
    {
        app.MapHealthChecks("/healthz", new() { Predicate = _ => false });
        app.MapHealthChecks("/readyz");
        return app;
    }

    private static void AddJsonConsoleWhenRequested(this ILoggingBuilder logging, IConfiguration configuration)
    {
        // Kubernetes and log shippers want one JSON object per line; a developer's terminal wants text.
        if (string.Equals(configuration["Logging:Format"], "json", StringComparison.OrdinalIgnoreCase))
        {
            logging.ClearProviders();
            logging.AddJsonConsole(o => o.IncludeScopes = true);
        }
    }
}
