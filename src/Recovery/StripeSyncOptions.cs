namespace Billing.Recovery;

/// <summary><c>Stripe:Sync</c>: how recovery reads Stripe's API.</summary>
public sealed class StripeSyncOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Stripe:Sync";

    /// <summary>How often the Events API is read for events that never arrived as webhooks; zero turns polling off.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The ceiling on calls to Stripe's API across the cluster; each silo takes an equal share. Stripe allows 25/s per
    /// endpoint and 100/s in live mode (25 in test mode): the default leaves room for the rest of the company.
    /// </summary>
    public double MaxRequestsPerSecond { get; set; } = 20;

    /// <summary>
    /// How far back each read of the Events API starts before the previous high-water mark: events become visible to
    /// the list late (Stripe's list is eventually consistent) and several share a second; the overlap re-reads them
    /// and the customers' dedupe drops what was already applied.
    /// </summary>
    public TimeSpan Overlap { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The span of events read, sorted and applied as one step of a backfill (its cursor moves per window).</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The longest one request to Stripe may take (an attempt; retries come on top).</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Attempts per request on 429, 5xx and network errors, with exponential backoff and jitter.</summary>
    public int MaxAttempts { get; set; } = 6;

    /// <summary>The first retry's delay; later ones double (with jitter), up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest pause between two attempts.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often each silo pokes the recovery scheduler (and a job whose silo died is resumed at the latest).</summary>
    public TimeSpan SchedulerInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a job waits before reading a page again after every attempt failed (it never skips it).</summary>
    public TimeSpan StallDelay { get; set; } = TimeSpan.FromSeconds(30);
}
