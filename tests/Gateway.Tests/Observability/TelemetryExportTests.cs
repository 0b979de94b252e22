using Billing.Gateway.Tests.Infrastructure;
using Billing.StripeSamples;
using Billing.Testing.Network;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Billing.Gateway.Tests.Observability;

/// <summary>OpenTelemetry collects only when it can export: with an OTLP endpoint it is on, without one it costs nothing.</summary>
public sealed class TelemetryExportTests() : OwnDatabaseTests("otlp")
{
    [Fact]
    public async Task With_an_otlp_endpoint_traces_and_metrics_are_collected_and_webhooks_still_work()
    {
        // Nothing listens there: export fails quietly in the background, which must not disturb the product.
        await using var stack = await BillingStack.StartAsync(Database, new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = $"http://127.0.0.1:{FreePort.Next()}",
        });

        Assert.NotNull(stack.Gateway.Services.GetService<TracerProvider>());
        Assert.NotNull(stack.Gateway.Services.GetService<MeterProvider>());
        var customerId = StripeEventJson.NewCustomerId();
        Assert.Equal("applied", await stack.Webhooks.ApplyAsync(
            StripeEventJson.Subscription(customerId, "sub_1", "active", DateTimeOffset.UtcNow.ToUnixTimeSeconds())));
    }

    [Fact]
    public async Task Without_an_otlp_endpoint_nothing_is_collected()
    {
        await using var stack = await BillingStack.StartAsync(Database);

        Assert.Null(stack.Gateway.Services.GetService<TracerProvider>());
        Assert.Null(stack.Gateway.Services.GetService<MeterProvider>());
    }
}
