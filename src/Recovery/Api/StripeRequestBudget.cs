using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Billing.Recovery.Api;

/// <summary>
/// This silo's share of <c>Stripe:Sync:MaxRequestsPerSecond</c>: the ceiling divided by the number of active silos
/// (the silo tells it when that number changes), so the cluster as a whole stays under the ceiling whichever silo the
/// jobs and fetches run on. Every HTTP attempt to Stripe waits for a token, retries included.
/// </summary>
public sealed class StripeRequestBudget : IDisposable
{
    private readonly double _ceiling;
    private TokenBucketRateLimiter _limiter;
    private int _silos = 1;

    /// <summary>A budget with the configured ceiling, for one silo until told otherwise.</summary>
    public StripeRequestBudget(IOptions<StripeSyncOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _ceiling = options.Value.MaxRequestsPerSecond;
        _limiter = Create(_ceiling);
    }

    /// <summary>Requests per second this silo may make now.</summary>
    public double RequestsPerSecond => _ceiling / Volatile.Read(ref _silos);

    /// <summary>The number of active silos changed: each takes an equal share.</summary>
    public void SiloCountChanged(int silos)
    {
        silos = Math.Max(1, silos);
        if (Interlocked.Exchange(ref _silos, silos) != silos)
        {
            // Requests waiting on the old limiter still get their token from it; new ones queue on the new one.
            var old = Interlocked.Exchange(ref _limiter, Create(_ceiling / silos));
            _ = Task.Delay(TimeSpan.FromMinutes(1)).ContinueWith(_ => old.Dispose(), TaskScheduler.Default);
        }
    }

    /// <summary>Waits until a request may be made.</summary>
    public async ValueTask WaitAsync(CancellationToken cancellationToken)
    {
        using var lease = await Volatile.Read(ref _limiter).AcquireAsync(1, cancellationToken);
        if (!lease.IsAcquired)
        {
            throw new InvalidOperationException("the Stripe request budget refused a request");
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _limiter.Dispose();

    // One token at a time, no bursts: a burst above the share is what Stripe's per-second limit punishes.
    private static TokenBucketRateLimiter Create(double perSecond) => new(new TokenBucketRateLimiterOptions
    {
        TokenLimit = 1,
        TokensPerPeriod = 1,
        ReplenishmentPeriod = TimeSpan.FromSeconds(1 / perSecond),
        QueueLimit = int.MaxValue,
        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        AutoReplenishment = true,
    });
}

/// <summary>Makes every HTTP attempt to Stripe wait for the silo's <see cref="StripeRequestBudget"/>.</summary>
public sealed class StripeRequestBudgetHandler(StripeRequestBudget budget) : DelegatingHandler
{
    /// <inheritdoc/>
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        await budget.WaitAsync(cancellationToken);
        return await base.SendAsync(request, cancellationToken);
    }
}
