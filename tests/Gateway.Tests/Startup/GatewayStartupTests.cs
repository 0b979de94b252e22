using Billing.Testing.Network;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Billing.Gateway.Tests.Startup;

/// <summary>A gateway configured so it could not work refuses to start, saying why.</summary>
public sealed class GatewayStartupTests
{
    [Fact]
    public async Task A_gateway_without_a_webhook_secret_refuses_to_start()
    {
        await using var gateway = GatewayApp.Create(["--contentRoot", LoopbackWebApp.EmptyContentRoot, "--environment", "Development"], builder =>
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Kestrel:Endpoints:Webhooks:Url"] = $"http://127.0.0.1:{FreePort.Next()}",
            }));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => gateway.StartAsync());
        Assert.Contains("Stripe:WebhookSecrets", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_gateway_with_an_invalid_cache_setting_refuses_to_start()
    {
        await using var gateway = GatewayApp.Create(["--contentRoot", LoopbackWebApp.EmptyContentRoot, "--environment", "Development"], builder =>
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Kestrel:Endpoints:Webhooks:Url"] = $"http://127.0.0.1:{FreePort.Next()}",
                ["Stripe:WebhookSecrets:0"] = "whsec_startup_test",
                ["Gateway:EntitlementsCache:SilenceTimeout"] = "00:00:00",
            }));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => gateway.StartAsync());
        Assert.Contains("SilenceTimeout", error.Message, StringComparison.Ordinal);
    }
}
