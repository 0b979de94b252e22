using System.Diagnostics;
using Billing.Testing.Network;
using Npgsql;

namespace Billing.Resilience.Tests.Infrastructure;

/// <summary>One silo process and its ports.</summary>
internal sealed record SiloHandle(int Number, HostProcess Process, int SiloPort, int GatewayPort, int HealthPort);

/// <summary>
/// Silo processes and a gateway process on 127.0.0.1 (ports from the OS), sharing one PostgreSQL database through
/// ADO.NET membership: the same processes and settings production runs, on one machine. Every process it starts is
/// killed on dispose, whatever happened.
/// </summary>
internal sealed class BillingCluster : IAsyncDisposable
{
    /// <summary>The webhook signing secret the gateway accepts.</summary>
    public const string WebhookSecret = "whsec_resilience_test_secret";

    /// <summary>The secret outbound deliveries are signed with.</summary>
    public const string OutboundSecret = "resilience_outbound_secret";

    // Orleans' SiloStatus values in the membership table.
    public const int Active = 3;
    public const int Dead = 6;

    private readonly List<SiloHandle> _allSilos = [];
    private readonly string _productConnectionString;
    private readonly NpgsqlDataSource _membership;
    private readonly string _fulfillmentUrl;
    private readonly string _clusterId = $"resilience-{Guid.NewGuid():N}"[..20];
    private int _siloNumber;

    private readonly IReadOnlyDictionary<string, string> _settings;

    private BillingCluster(string productConnectionString, NpgsqlDataSource membership, string fulfillmentUrl, string logDirectory,
        IReadOnlyDictionary<string, string>? settings)
    {
        _productConnectionString = productConnectionString;
        _membership = membership;
        _fulfillmentUrl = fulfillmentUrl;
        LogDirectory = logDirectory;
        _settings = settings ?? new Dictionary<string, string>();
    }

    /// <summary>Where the processes' logs are.</summary>
    public string LogDirectory { get; }

    /// <summary>The silos started and not stopped by the test, oldest first.</summary>
    public List<SiloHandle> Silos { get; } = [];

    public HostProcess? Gateway { get; private set; }

    /// <summary>The gateway's HTTP/1.1 endpoint (webhooks, health).</summary>
    public Uri WebhookBase { get; private set; } = null!;

    /// <summary>The gateway's admin endpoint (admin routes, console).</summary>
    public Uri AdminBase { get; private set; } = null!;

    /// <summary>The gateway's gRPC endpoint.</summary>
    public Uri GrpcBase { get; private set; } = null!;

    /// <summary>
    /// Starts <paramref name="silos"/> silos and the gateway. <paramref name="productConnectionString"/> is what the
    /// processes use (possibly through a proxy); <paramref name="membership"/> reads the membership table directly.
    /// </summary>
    public static async Task<BillingCluster> StartAsync(int silos, string productConnectionString, NpgsqlDataSource membership,
        string fulfillmentUrl, ITestOutputHelper output, IReadOnlyDictionary<string, string>? settings = null)
    {
        var logDirectory = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "billing-resilience", Guid.NewGuid().ToString("N")[..8])).FullName;
        var cluster = new BillingCluster(productConnectionString, membership, fulfillmentUrl, logDirectory, settings);
        try
        {
            var stopwatch = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, silos).Select(_ => cluster.StartSiloAsync()));
            await cluster.StartGatewayAsync();
            output.WriteLine($"cluster: {silos} silo(s) and the gateway ready in {stopwatch.Elapsed.TotalSeconds:F1} s (logs: {logDirectory})");
            return cluster;
        }
        catch
        {
            output.WriteLine(cluster.DescribeLogs());
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts one more silo and waits until the membership table shows it Active.</summary>
    public async Task<SiloHandle> StartSiloAsync()
    {
        var silo = LaunchSilo();
        await WaitUntilActiveAsync(silo);
        return silo;
    }

    /// <summary>
    /// Starts one more silo process and returns at once (it is still joining); <paramref name="connectionString"/>
    /// gives this one silo another way to the database (a proxy of its own).
    /// </summary>
    public SiloHandle LaunchSilo(string? connectionString = null)
    {
        var number = Interlocked.Increment(ref _siloNumber);
        var (siloPort, gatewayPort, healthPort) = (FreePort.Next(), FreePort.Next(), FreePort.Next());
        var environment = CommonEnvironment();
        if (connectionString is not null)
        {
            environment["ConnectionStrings__Billing"] = connectionString;
        }

        environment["Orleans__SiloPort"] = $"{siloPort}";
        environment["Orleans__GatewayPort"] = $"{gatewayPort}";
        environment["Orleans__SiloName"] = $"silo-{number}";
        environment["Kestrel__Endpoints__Health__Url"] = $"http://127.0.0.1:{healthPort}";
        var process = HostProcess.Start($"silo-{number}", ProductBuild.SiloDll, ProductBuild.SiloProject, environment, LogDirectory);
        var silo = new SiloHandle(number, process, siloPort, gatewayPort, healthPort);
        lock (_allSilos)
        {
            _allSilos.Add(silo);
            Silos.Add(silo);
        }

        return silo;
    }

    /// <summary>Waits until the membership table shows <paramref name="silo"/> Active.</summary>
    public Task WaitUntilActiveAsync(SiloHandle silo) =>
        WaitUntilAsync(async () => await StatusAsync(silo) == Active, TimeSpan.FromSeconds(60),
            () => $"silo-{silo.Number} did not become Active:\n{silo.Process.Tail()}", silo.Process);

    /// <summary>SIGKILL of <paramref name="silo"/>.</summary>
    public void Kill(SiloHandle silo)
    {
        silo.Process.Kill();
        lock (_allSilos)
        {
            Silos.Remove(silo);
        }
    }

    /// <summary>SIGTERM of <paramref name="silo"/>, then waits for it to exit.</summary>
    public async Task<TimeSpan> TerminateAsync(SiloHandle silo)
    {
        var stopwatch = Stopwatch.StartNew();
        silo.Process.Terminate();
        if (!await silo.Process.WaitForExitAsync(TimeSpan.FromSeconds(40)))
        {
            throw new TimeoutException($"silo-{silo.Number} did not stop within 40 s of SIGTERM:\n{silo.Process.Tail()}");
        }

        lock (_allSilos)
        {
            Silos.Remove(silo);
        }

        return stopwatch.Elapsed;
    }

    /// <summary>How long until the membership table shows <paramref name="silo"/> Dead (null: not within the timeout).</summary>
    public async Task<TimeSpan?> TimeUntilDeadAsync(SiloHandle silo, TimeSpan timeout)
    {
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.Elapsed < timeout)
        {
            if (await StatusAsync(silo) == Dead)
            {
                return stopwatch.Elapsed;
            }

            await Task.Delay(100);
        }

        return null;
    }

    /// <summary>The newest membership status of <paramref name="silo"/>, or null when it has no row yet.</summary>
    public async Task<int?> StatusAsync(SiloHandle silo)
    {
        await using var command = _membership.CreateCommand(
            "SELECT status FROM orleansmembershiptable WHERE deploymentid = $1 AND port = $2 ORDER BY generation DESC LIMIT 1");
        command.Parameters.Add(new() { Value = _clusterId });
        command.Parameters.Add(new() { Value = silo.SiloPort });
        return await command.ExecuteScalarAsync() is int status ? status : null;
    }

    /// <summary>Every process's log tail, for a failure message.</summary>
    public string DescribeLogs()
    {
        var processes = _allSilos.Select(s => s.Process).Concat(Gateway is null ? [] : [Gateway]);
        return string.Join("\n", processes.Select(p => $"--- {p.Name} ({(p.HasExited ? "exited" : "running")}), {p.LogPath}\n{p.Tail(25)}"));
    }

    public async ValueTask DisposeAsync()
    {
        // The gateway first (it is a client of the silos), then every silo: SIGKILL, nothing is left running.
        Gateway?.Dispose();
        foreach (var silo in _allSilos)
        {
            silo.Process.Dispose();
        }

        await Task.CompletedTask;
    }

    private async Task StartGatewayAsync()
    {
        var (webhookPort, grpcPort, adminPort) = (FreePort.Next(), FreePort.Next(), FreePort.Next());
        var environment = CommonEnvironment();
        environment["Kestrel__Endpoints__Webhooks__Url"] = $"http://127.0.0.1:{webhookPort}";
        environment["Kestrel__Endpoints__Grpc__Url"] = $"http://127.0.0.1:{grpcPort}";
        environment["Kestrel__Endpoints__Admin__Url"] = $"http://127.0.0.1:{adminPort}";
        environment["Stripe__WebhookSecrets__0"] = WebhookSecret;
        environment["Gateway__AllowAnonymous"] = "true"; // Production without keys, on purpose: these tests measure failover
        Gateway = HostProcess.Start("gateway", ProductBuild.GatewayDll, ProductBuild.GatewayProject, environment, LogDirectory);
        WebhookBase = new Uri($"http://127.0.0.1:{webhookPort}");
        GrpcBase = new Uri($"http://127.0.0.1:{grpcPort}");
        AdminBase = new Uri($"http://127.0.0.1:{adminPort}");

        using var http = new HttpClient { BaseAddress = WebhookBase, Timeout = TimeSpan.FromSeconds(5) };
        var gateway = Gateway;
        await WaitUntilAsync(async () =>
        {
            try
            {
                using var response = await http.GetAsync(new Uri("/readyz", UriKind.Relative));
                return response.IsSuccessStatusCode;
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(60), () => $"the gateway did not answer /readyz:\n{gateway.Tail()}", gateway);
    }

    // Every process's environment: the cluster's own settings, then the scenario's (which win).
    private Dictionary<string, string> CommonEnvironment()
    {
        var environment = BaseEnvironment();
        foreach (var (key, value) in _settings)
        {
            environment[key] = value;
        }

        return environment;
    }

    private Dictionary<string, string> BaseEnvironment() => new()
    {
        ["ConnectionStrings__Billing"] = _productConnectionString,
        ["Orleans__ClusterId"] = _clusterId,
        ["Orleans__ServiceId"] = "billing-resilience",
        ["Billing__Fulfillment__Endpoints__0"] = _fulfillmentUrl,
        ["Billing__Outbound__SigningSecret"] = OutboundSecret,
        ["Billing__Journal__SweepInterval"] = "00:00:02",
        ["Billing__Journal__LagAfter"] = "00:00:02",
        ["ASPNETCORE_ENVIRONMENT"] = "Production",
        ["DOTNET_ENVIRONMENT"] = "Production",
        ["Logging__LogLevel__Default"] = "Warning",
        ["Logging__LogLevel__Billing"] = Environment.GetEnvironmentVariable("BILLING_RESILIENCE_LOG_LEVEL") ?? "Warning",
        // Small heaps: five processes share the box with other test projects.
        ["DOTNET_gcServer"] = "0",
        ["DOTNET_TieredPGO"] = "0",
    };

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> failure, HostProcess process)
    {
        var stopwatch = Stopwatch.StartNew();
        while (!await condition())
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{process.Name} exited. " + failure());
            }

            if (stopwatch.Elapsed > timeout)
            {
                throw new TimeoutException(failure());
            }

            await Task.Delay(200);
        }
    }
}
