using Billing.Testing.Network;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Billing.Gateway.Tests.Startup;

/// <summary>Safe defaults: a Production gateway does not start open, and no gateway starts with a template's key.</summary>
public sealed class ProductionKeysTests
{
    [Fact]
    public async Task A_production_gateway_without_keys_refuses_to_start()
    {
        await using var gateway = Create(Environments.Production, []);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => gateway.StartAsync());
        Assert.Contains("Gateway:ApiKeys and Gateway:AdminApiKeys are empty", error.Message, StringComparison.Ordinal);
        Assert.Contains("Gateway:AllowAnonymous", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_production_gateway_with_only_admin_keys_refuses_to_start_because_grpc_would_be_open()
    {
        await using var gateway = Create(Environments.Production, new() { ["Gateway:AdminApiKeys:0"] = "operator-key-0123456789" });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => gateway.StartAsync());
        Assert.Contains("Gateway:ApiKeys is empty", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Gateway:ApiKeys:0", "CHANGE_ME")]
    [InlineData("Gateway:AdminApiKeys:0", "change-me-please")]
    [InlineData("Gateway:AdminApiKeys:0", "<your-admin-key>")]
    [InlineData("Gateway:ApiKeys:1", " ")]
    public async Task A_placeholder_key_is_refused_in_any_environment(string setting, string value)
    {
        await using var gateway = Create(Environments.Development, new()
        {
            ["Gateway:ApiKeys:0"] = "caller-key-0123456789",
            [setting] = value,
        });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => gateway.StartAsync());
        Assert.Contains("placeholder key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_placeholder_webhook_secret_is_refused()
    {
        await using var gateway = Create(Environments.Development, new() { ["Stripe:WebhookSecrets:0"] = "whsec_CHANGE_ME" });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => gateway.StartAsync());
        Assert.Contains("placeholder secret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Production_with_keys_or_allow_anonymous_passes_validation()
    {
        var environment = new TestEnvironment(Environments.Production);
        var validator = new GatewayOptionsValidator(environment);

        Assert.True(validator.Validate(null, new GatewayOptions { ApiKeys = ["caller-key-0123456789"] }).Succeeded);
        Assert.True(validator.Validate(null, new GatewayOptions { AllowAnonymous = true }).Succeeded);
        Assert.False(validator.Validate(null, new GatewayOptions()).Succeeded);
        Assert.True(new GatewayOptionsValidator(new TestEnvironment(Environments.Development)).Validate(null, new GatewayOptions()).Succeeded);
    }

    private static WebApplication Create(string environment, Dictionary<string, string?> settings)
    {
        var configuration = new Dictionary<string, string?>
        {
            ["Kestrel:Endpoints:Webhooks:Url"] = $"http://127.0.0.1:{FreePort.Next()}",
            ["Stripe:WebhookSecrets:0"] = "whsec_startup_test",
        };
        foreach (var (key, value) in settings)
        {
            configuration[key] = value;
        }

        return GatewayApp.Create(["--contentRoot", LoopbackWebApp.EmptyContentRoot, "--environment", environment], builder =>
            builder.Configuration.AddInMemoryCollection(configuration));
    }

    private sealed class TestEnvironment(string name) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;

        public string ApplicationName { get; set; } = "Billing.Gateway";

        public string ContentRootPath { get; set; } = LoopbackWebApp.EmptyContentRoot;

        public Microsoft.Extensions.FileProviders.IFileProvider ContentRootFileProvider { get; set; } =
            new Microsoft.Extensions.FileProviders.NullFileProvider();
    }
}
