using System.Diagnostics.Metrics;
using System.Net;
using Billing.Gateway.Tests.Infrastructure;
using Billing.ServiceDefaults;
using Billing.StripeSamples;
using Microsoft.Extensions.DependencyInjection;

namespace Billing.Gateway.Tests.Observability;

/// <summary>
/// The webhook's metrics follow OpenTelemetry's conventions: one <c>billing.webhook.events</c> counter with a
/// <c>billing.webhook.outcome</c> attribute (and <c>error.type</c> for refusals and 503s), and a duration histogram in
/// seconds that every answer reaches, refusals and 503s included.
/// </summary>
public sealed class WebhookMetricsTests() : OwnDatabaseTests("metrics")
{
    [Fact]
    public async Task Every_answer_is_counted_once_by_outcome_and_timed_in_seconds()
    {
        await using var stack = await BillingStack.StartAsync(Database);
        using var measurements = new GatewayMeasurements(stack);
        var customerId = StripeEventJson.NewCustomerId();
        var body = StripeEventJson.Subscription(customerId, "sub_1", "active", DateTimeOffset.UtcNow.ToUnixTimeSeconds());

        using (var refused = await stack.Webhooks.SendRawAsync(body, "t=1,v1=00"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        }

        stack.JournalFaults.FailAppends = true;
        using (var unavailable = await stack.Webhooks.SendAsync(body))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, unavailable.StatusCode);
        }

        stack.JournalFaults.FailAppends = false;
        Assert.Equal("applied", await stack.Webhooks.ApplyAsync(body));
        Assert.Equal("duplicate", await stack.Webhooks.ApplyAsync(body));

        var events = measurements.Of("billing.webhook.events");
        Assert.All(events, m => Assert.Equal("{event}", m.Unit));
        Assert.Equal(["applied", "duplicate", "failed", "received", "received", "received", "rejected"],
            events.Select(m => m.Tag(BillingTelemetry.OutcomeAttribute)).Order(StringComparer.Ordinal));
        Assert.Equal("signature", events.Single(m => m.Tag(BillingTelemetry.OutcomeAttribute) == "rejected").Tag("error.type"));
        Assert.NotNull(events.Single(m => m.Tag(BillingTelemetry.OutcomeAttribute) == "failed").Tag("error.type"));

        var durations = measurements.Of("billing.webhook.duration");
        Assert.All(durations, m => Assert.Equal("s", m.Unit));
        Assert.Equal(["applied", "duplicate", "failed", "rejected"],
            durations.Select(m => m.Tag(BillingTelemetry.OutcomeAttribute)).Order(StringComparer.Ordinal));
        Assert.All(durations, m => Assert.InRange(m.Value, 0, 10)); // seconds: a millisecond figure would be far above
        Assert.DoesNotContain(measurements.All(), m => m.Instrument.StartsWith("billing.webhook.events.", StringComparison.Ordinal));
        Assert.All(measurements.All(), m => Assert.False(string.IsNullOrEmpty(m.Unit), $"{m.Instrument} has no unit"));
    }

    /// <summary>Every measurement of the gateway's Billing meter (and of no other stack in this process).</summary>
    private sealed class GatewayMeasurements : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly List<Measurement> _measurements = [];

        public GatewayMeasurements(BillingStack stack)
        {
            var gatewayMeters = stack.Gateway.Services.GetRequiredService<IMeterFactory>();
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == BillingTelemetry.MeterName && ReferenceEquals(instrument.Meter.Scope, gatewayMeters))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Record(instrument, value, tags));
            _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
            _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
            _listener.Start();
        }

        public List<Measurement> All()
        {
            lock (_measurements)
            {
                return [.. _measurements];
            }
        }

        public List<Measurement> Of(string instrument) => [.. All().Where(m => m.Instrument == instrument)];

        public void Dispose() => _listener.Dispose();

        private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var measurement = new Measurement(instrument.Name, instrument.Unit, value,
                tags.ToArray().ToDictionary(tag => tag.Key, tag => tag.Value?.ToString()));
            lock (_measurements)
            {
                _measurements.Add(measurement);
            }
        }
    }

    private sealed record Measurement(string Instrument, string? Unit, double Value, Dictionary<string, string?> Tags)
    {
        public string? Tag(string name) => Tags.GetValueOrDefault(name);
    }
}
