using Microsoft.Extensions.Options;

namespace Billing.Recovery.Api;

/// <summary>
/// This silo's share of <c>Stripe:Sync:MaxRequestsPerSecond</c>: the ceiling divided by the number of active silos
/// (the silo tells it when that number changes), so the cluster as a whole stays under the ceiling whichever silo the
/// jobs and fetches run on. Every HTTP attempt to Stripe waits for its slot, retries included, one slot at a time (no
/// bursts: a burst is what Stripe's per-second limit punishes). When Stripe answers 429 anyway (other systems share
/// the account's limit), the rate halves, and creeps back up by 1 % of the share per answer that is not a 429.
/// A pacer, not System.Threading.RateLimiting: its limiters cannot change their rate, and this one changes with
/// every 429 and every silo joining or leaving (ADR 0009).
/// </summary>
public sealed class StripeRequestBudget(IOptions<StripeSyncOptions> options, TimeProvider time)
{
    private const double MinimumFactor = 1.0 / 64;

    private readonly double _ceiling = options.Value.MaxRequestsPerSecond;
    private readonly Lock _gate = new();
    private int _silos = 1;
    private double _factor = 1;
    private long _nextSlot;

    /// <summary>Requests per second this silo may make now.</summary>
    public double RequestsPerSecond
    {
        get
        {
            lock (_gate)
            {
                return _ceiling / _silos * _factor;
            }
        }
    }

    /// <summary>The number of active silos changed: each takes an equal share.</summary>
    public void SiloCountChanged(int silos)
    {
        lock (_gate)
        {
            _silos = Math.Max(1, silos);
        }
    }

    /// <summary>Stripe answered 429: slow down.</summary>
    public void RateLimited()
    {
        lock (_gate)
        {
            _factor = Math.Max(MinimumFactor, _factor / 2);
        }
    }

    /// <summary>Stripe answered without a 429: speed up a little, back towards the share.</summary>
    public void Answered()
    {
        lock (_gate)
        {
            _factor = Math.Min(1, _factor + 0.01);
        }
    }

    /// <summary>Waits for this request's slot.</summary>
    public async ValueTask WaitAsync(CancellationToken cancellationToken)
    {
        long wait;
        lock (_gate)
        {
            var now = time.GetTimestamp();
            var slot = Math.Max(now, _nextSlot);
            _nextSlot = slot + (long)(time.TimestampFrequency / (_ceiling / _silos * _factor));
            wait = slot - now;
        }

        if (wait > 0)
        {
            await Task.Delay(TimeSpan.FromSeconds((double)wait / time.TimestampFrequency), time, cancellationToken);
        }
    }
}

/// <summary>Makes every HTTP attempt to Stripe wait for the silo's <see cref="StripeRequestBudget"/>, and tells it about 429s.</summary>
public sealed class StripeRequestBudgetHandler(StripeRequestBudget budget) : DelegatingHandler
{
    /// <inheritdoc/>
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        await budget.WaitAsync(cancellationToken);
        var response = await base.SendAsync(request, cancellationToken);
        if ((int)response.StatusCode == 429)
        {
            budget.RateLimited();
        }
        else
        {
            budget.Answered();
        }

        return response;
    }
}
