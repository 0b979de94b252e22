using Billing.Outbound.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Billing.Outbound.Tests;

/// <summary>A host with endpoints it cannot sign for or reach refuses to start, and says why.</summary>
public sealed class OutboundOptionsTests
{
    [Fact]
    public async Task An_endpoint_without_a_signing_secret_fails_start_up_naming_the_missing_key()
    {
        var settings = OutboundHost.Settings(fulfillment: ["http://127.0.0.1:9/fulfillment"]);
        settings.Remove("Billing:Outbound:SigningSecret");

        var failure = await StartFailsAsync(settings);

        Assert.Contains("Billing:Outbound:SigningSecret is required when Billing:Fulfillment:Endpoints or Billing:Notifications:Endpoints is set",
            failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/relative/path")]
    [InlineData("fulfillment.internal/billing")]
    [InlineData("not a url")]
    [InlineData("ftp://files.internal/billing")]
    [InlineData("")]
    public async Task An_endpoint_that_is_not_an_absolute_http_url_fails_start_up_naming_its_key(string endpoint)
    {
        var failure = await StartFailsAsync(OutboundHost.Settings(notifications: ["http://127.0.0.1:9/ok", endpoint]));

        Assert.Contains("Billing:Notifications:Endpoints:1 must be an absolute http:// or https:// URL", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_same_endpoint_twice_fails_start_up()
    {
        var failure = await StartFailsAsync(OutboundHost.Settings(fulfillment: ["https://a.internal/x", "https://a.internal/x"]));

        Assert.Contains("Billing:Fulfillment:Endpoints:1 repeats an earlier endpoint", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Billing:Outbound:MaxAttempts", "0", "MaxAttempts must be between 1 and 10")]
    [InlineData("Billing:Outbound:TotalTimeout", "00:00:00.500", "TotalTimeout must be at least AttemptTimeout")]
    [InlineData("Billing:Outbound:AttemptTimeout", "00:00:00", "AttemptTimeout must be at least 10 ms")]
    [InlineData("Billing:Outbound:RetryDelay", "-00:00:01", "RetryDelay must not be negative")]
    [InlineData("Billing:Outbound:DeadLetterRetention", "00:00:00", "DeadLetterRetention must be at least 1 second")]
    public async Task A_retry_budget_that_makes_no_sense_fails_start_up(string key, string value, string expected)
    {
        var settings = OutboundHost.Settings();
        settings[key] = value;

        var failure = await StartFailsAsync(settings);

        Assert.Contains(expected, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_endpoint_and_no_secret_starts_and_delivers_nothing()
    {
        var settings = OutboundHost.Settings();
        settings.Remove("Billing:Outbound:SigningSecret");
        await using var host = await OutboundHost.StartAsync(settings);

        var outcome = await host.Delivery.DeliverAsync(OutboundTarget.Fulfillment, "cus_1:1", "entitlements.changed", "cus_1", "{}"u8.ToArray());

        Assert.Equal(DeliveryOutcome.NotConfigured, outcome);
    }

    [Fact]
    public async Task Endpoints_may_be_given_as_an_array_or_as_one_comma_separated_value()
    {
        var settings = OutboundHost.Settings(fulfillment: ["https://a.internal/x", "https://b.internal/y"]);
        settings["Billing:Notifications:Endpoints"] = "https://mailer.internal/billing, https://audit.internal/billing";
        await using var host = await OutboundHost.StartAsync(settings);

        var options = host.Services.GetRequiredService<IOptions<OutboundOptions>>().Value;

        Assert.Equal(["https://a.internal/x", "https://b.internal/y"], options.FulfillmentEndpoints);
        Assert.Equal(["https://mailer.internal/billing", "https://audit.internal/billing"], options.NotificationEndpoints);
    }

    [Fact]
    public void The_defaults_keep_one_call_within_a_grain_turn()
    {
        var options = new OutboundOptions();

        Assert.Equal(3, options.MaxAttempts);
        Assert.Equal(TimeSpan.FromSeconds(3), options.AttemptTimeout);
        Assert.Equal(TimeSpan.FromSeconds(4), options.TotalTimeout);
        Assert.True(options.TotalTimeout < OutboundOptions.DefaultResponseTimeout);
        Assert.Equal(TimeSpan.FromDays(30), options.DeadLetterRetention);
    }

    [Theory]
    [InlineData(null, "00:00:05", "Billing:Outbound:TotalTimeout (00:00:05) must be below Orleans:Messaging:ResponseTimeout (00:00:05)")]
    [InlineData("00:00:03", "00:00:04", "Billing:Outbound:TotalTimeout (00:00:04) must be below Orleans:Messaging:ResponseTimeout (00:00:03)")]
    public async Task A_call_budget_that_outlives_the_grain_call_timeout_fails_start_up(string? responseTimeout, string totalTimeout, string expected)
    {
        var settings = OutboundHost.Settings();
        settings["Billing:Outbound:AttemptTimeout"] = "00:00:01";
        settings["Billing:Outbound:TotalTimeout"] = totalTimeout;
        settings["Orleans:Messaging:ResponseTimeout"] = responseTimeout;

        var failure = await StartFailsAsync(settings);

        Assert.Contains(expected, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_longer_grain_call_timeout_allows_a_longer_call_budget()
    {
        var settings = OutboundHost.Settings();
        settings["Billing:Outbound:TotalTimeout"] = "00:00:08";
        settings["Orleans:Messaging:ResponseTimeout"] = "00:00:10";
        await using var host = await OutboundHost.StartAsync(settings);

        Assert.Equal(TimeSpan.FromSeconds(8), host.Delivery.CallBudget);
    }

    private static async Task<OptionsValidationException> StartFailsAsync(IDictionary<string, string?> settings)
    {
        await using var host = OutboundHost.Build(settings);
        return await Assert.ThrowsAsync<OptionsValidationException>(host.StartHostAsync);
    }
}
