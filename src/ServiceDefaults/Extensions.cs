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
    /// Wires structured logs, health checks and, when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, OpenTelemetry traces,
    /// metrics and logs exported over OTLP; a developer's machine exports nothing and pays nothing for it.
    /// </summary>
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder, string serviceName)
        where TBuilder : IHostApplicationBuilder
    {
        builder.Logging.AddJsonConsoleWhenRequested(builder.Configuration);

        // Traces, metrics and OpenTelemetry logs only go somewhere through the OTLP exporter. Without one, collecting
        // them would still cost work on every request, grain call and message (Orleans alone records several
        // instruments per message) and show nowhere; tests observe Billing's own instruments and spans directly.
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            builder.Logging.AddOpenTelemetry(logging =>
            {
                logging.IncludeFormattedMessage = true;
                logging.IncludeScopes = true;
            });
            builder.Services.AddOpenTelemetry()
                .ConfigureResource(resource => resource.AddService(serviceName))
                .WithMetrics(metrics => metrics
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddMeter(BillingTelemetry.MeterName, BillingTelemetry.InsightsMeterName, "Microsoft.Orleans", "System.Runtime"))
                .WithTracing(tracing => tracing.AddBillingTracing())
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
