using System.Collections.Concurrent;
using System.Diagnostics;

namespace Billing.Resilience.Tests.Infrastructure;

/// <summary>
/// One look at a silo: what <c>/healthz</c> and <c>/readyz</c> answered (0: no answer, e.g. not listening), <see cref="At"/>
/// the moment <c>/readyz</c> answered (since the probe started), and its membership status in the table read right
/// after (null: no row yet).
/// </summary>
internal sealed record HealthSample(TimeSpan At, int Live, int Ready, int? Membership);

/// <summary>
/// Polls a silo's health port like a kubelet would, only far more often, and reads its membership row after each
/// poll, until disposed: the timeline the readiness test asserts on.
/// </summary>
internal sealed class HealthProbe : IAsyncDisposable
{
    private readonly HttpClient _http;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentQueue<HealthSample> _samples = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Task _polling;

    public HealthProbe(BillingCluster cluster, SiloHandle silo)
    {
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{silo.HealthPort}"), Timeout = TimeSpan.FromSeconds(2) };
        _polling = PollAsync(cluster, silo);
    }

    /// <summary>Time since the probe started.</summary>
    public TimeSpan Now => _clock.Elapsed;

    public IReadOnlyList<HealthSample> Samples => [.. _samples];

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _polling;
        _stopping.Dispose();
        _http.Dispose();
    }

    private async Task PollAsync(BillingCluster cluster, SiloHandle silo)
    {
        while (!_stopping.IsCancellationRequested)
        {
            var live = await StatusAsync("/healthz");
            var ready = await StatusAsync("/readyz");
            var at = _clock.Elapsed;
            int? membership = await cluster.StatusAsync(silo);
            _samples.Enqueue(new HealthSample(at, live, ready, membership));
            try
            {
                await Task.Delay(50, _stopping.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task<int> StatusAsync(string path)
    {
        try
        {
            using var response = await _http.GetAsync(new Uri(path, UriKind.Relative));
            return (int)response.StatusCode;
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            return 0;
        }
    }
}
