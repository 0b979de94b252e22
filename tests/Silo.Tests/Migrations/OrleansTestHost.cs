using System.Net;
using Billing.Testing.Network;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Orleans.Hosting;

namespace Billing.Silo.Tests.Migrations;

/// <summary>
/// A real silo or client in this process, on the ADO.NET providers over a test database, configured the
/// way production configures them (invariant "Npgsql", System.Text.Json grain state).
/// </summary>
internal sealed class OrleansTestHost : IAsyncDisposable
{
    public const string Invariant = "Npgsql";

    private readonly IHost _host;

    private OrleansTestHost(IHost host, int siloPort)
    {
        _host = host;
        SiloPort = siloPort;
    }

    public int SiloPort { get; }

    public IServiceProvider Services => _host.Services;

    public IGrainFactory GrainFactory => _host.Services.GetRequiredService<IGrainFactory>();

    public static async Task<OrleansTestHost> StartSiloAsync(string connectionString, string clusterId, string serviceId)
    {
        var siloPort = FreePort.Next();
        var gatewayPort = FreePort.Next();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(options =>
            {
                options.ClusterId = clusterId;
                options.ServiceId = serviceId;
            });
            silo.ConfigureEndpoints(IPAddress.Loopback, siloPort, gatewayPort);
            silo.UseAdoNetClustering(options =>
            {
                options.Invariant = Invariant;
                options.ConnectionString = connectionString;
            });
            silo.AddAdoNetGrainStorage("test", options =>
            {
                options.Invariant = Invariant;
                options.ConnectionString = connectionString;
            });
            silo.AddAdoNetGrainStorage("test-delete", options =>
            {
                options.Invariant = Invariant;
                options.ConnectionString = connectionString;
                options.DeleteStateOnClear = true;
            });
            silo.UseAdoNetReminderService(options =>
            {
                options.Invariant = Invariant;
                options.ConnectionString = connectionString;
            });
            silo.UseSystemTextJsonGrainStorageSerializer();
        });

        return await StartAsync(builder, siloPort);
    }

    public static async Task<OrleansTestHost> StartClientAsync(string connectionString, string clusterId, string serviceId)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(options =>
            {
                options.ClusterId = clusterId;
                options.ServiceId = serviceId;
            });
            client.UseAdoNetClustering(options =>
            {
                options.Invariant = Invariant;
                options.ConnectionString = connectionString;
            });
        });

        return await StartAsync(builder, siloPort: 0);
    }

    public Task StopAsync() => _host.StopAsync();

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _host.StopAsync();
        }
        finally
        {
            _host.Dispose();
        }
    }

    private static async Task<OrleansTestHost> StartAsync(HostApplicationBuilder builder, int siloPort)
    {
        var host = builder.Build();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await host.StartAsync(timeout.Token);
            return new OrleansTestHost(host, siloPort);
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }
}
