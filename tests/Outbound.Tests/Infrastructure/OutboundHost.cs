using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Billing.Outbound.Tests.Infrastructure;

/// <summary>A generic host with exactly what a silo or the gateway registers for outbound deliveries (<c>AddOutbound</c>).</summary>
public sealed class OutboundHost : IAsyncDisposable
{
    public const string SigningSecret = "outbound_test_secret_0123456789";

    private readonly IHost _host;

    private OutboundHost(IHost host, CapturedLogs logs)
    {
        _host = host;
        Logs = logs;
    }

    public CapturedLogs Logs { get; }

    public IServiceProvider Services => _host.Services;

    public OutboundDelivery Delivery => _host.Services.GetRequiredService<OutboundDelivery>();

    public DeadLetterStore DeadLetters => _host.Services.GetRequiredService<DeadLetterStore>();

    /// <summary>
    /// Settings for a short in-call budget (3 attempts, 1 s each, 4 s in all, 50 ms base backoff), the test secret,
    /// the given endpoints and, when given, the database of the dead letters.
    /// </summary>
    public static Dictionary<string, string?> Settings(string? connectionString = null, string[]? fulfillment = null, string[]? notifications = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Billing:Outbound:SigningSecret"] = SigningSecret,
            ["Billing:Outbound:MaxAttempts"] = "3",
            ["Billing:Outbound:AttemptTimeout"] = "00:00:01",
            ["Billing:Outbound:TotalTimeout"] = "00:00:04",
            ["Billing:Outbound:RetryDelay"] = "00:00:00.050",
            ["ConnectionStrings:Billing"] = connectionString,
        };
        for (var i = 0; i < (fulfillment ?? []).Length; i++)
        {
            settings[$"Billing:Fulfillment:Endpoints:{i}"] = fulfillment![i];
        }

        for (var i = 0; i < (notifications ?? []).Length; i++)
        {
            settings[$"Billing:Notifications:Endpoints:{i}"] = notifications![i];
        }

        return settings;
    }

    /// <summary>Builds the host (no start: <see cref="StartAsync"/> runs the start-up validation).</summary>
    public static OutboundHost Build(IDictionary<string, string?> settings)
    {
        var logs = new CapturedLogs();
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.AddProvider(logs).SetMinimumLevel(LogLevel.Debug);
        builder.AddOutbound();
        return new OutboundHost(builder.Build(), logs);
    }

    public static async Task<OutboundHost> StartAsync(IDictionary<string, string?> settings)
    {
        var host = Build(settings);
        try
        {
            await host.StartHostAsync();
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    public Task StartHostAsync() => _host.StartAsync();

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _host.StopAsync();
        }
        catch (OperationCanceledException)
        {
        }

        _host.Dispose();
    }
}
