using Billing.Grains.Customers;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime;

namespace Billing.Grains.Changes;

/// <summary>
/// This silo's feed of entitlement changes (docs/adr/0010). Customer grains publish each change (and their leaving the
/// silo) here; it sends them, batched, to every gateway that follows the feed, numbering batches so a follower notices
/// one it lost, and sends a heartbeat with the latest number when there is nothing to say, so a lost last batch is
/// noticed too, within one heartbeat. Costs follow the change rate: a customer that does not change costs nothing.
/// </summary>
public sealed partial class EntitlementsFeed(
    ILocalSiloDetails silo,
    IOptions<EntitlementsFeedOptions> options,
    TimeProvider time,
    ILogger<EntitlementsFeed> logger) : BackgroundService
{
    private readonly Lock _gate = new();
    private readonly Dictionary<IEntitlementsFeedObserver, DateTimeOffset> _followers = [];
    private readonly SemaphoreSlim _signal = new(0);
    private List<CustomerEntitlements> _changes = [];
    private List<string> _departed = [];
    private long _sequence;

    /// <summary>This feed's source: the silo's address with its generation, unique per silo process.</summary>
    public string Source { get; } = silo.SiloAddress.ToParsableString();

    /// <summary>The latest batch's sequence number.</summary>
    public long Sequence
    {
        get
        {
            lock (_gate)
            {
                return _sequence;
            }
        }
    }

    /// <summary>Gateways following now.</summary>
    public int Followers
    {
        get
        {
            lock (_gate)
            {
                return _followers.Count;
            }
        }
    }

    /// <summary>A customer's entitlements changed (called by its grain once the change is durable).</summary>
    public void Publish(CustomerEntitlements entitlements)
    {
        ArgumentNullException.ThrowIfNull(entitlements);
        Enqueue(() => _changes.Add(entitlements));
    }

    /// <summary>A customer's activation leaves this silo: its next changes come from another feed.</summary>
    public void Depart(string customerId) => Enqueue(() => _departed.Add(customerId));

    /// <summary>Adds or renews a follower; returns the latest sequence, from which it follows.</summary>
    public long Follow(IEntitlementsFeedObserver follower)
    {
        lock (_gate)
        {
            _followers[follower] = time.GetUtcNow() + IEntitlementsFeedGrain.SubscriptionLifetime;
            return _sequence;
        }
    }

    /// <summary>Removes a follower.</summary>
    public void Unfollow(IEntitlementsFeedObserver follower)
    {
        lock (_gate)
        {
            _followers.Remove(follower);
        }
    }

    // Nothing is kept while no gateway follows: a gateway that starts following reads its customers from the grains.
    private void Enqueue(Action add)
    {
        lock (_gate)
        {
            if (_followers.Count == 0)
            {
                return;
            }

            add();
        }

        _signal.Release();
    }

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var heartbeat = options.Value.HeartbeatInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // A change wakes the loop at once; a short pause then lets the changes of the next few milliseconds
                // join the same batch. Without changes, the wait ends with a heartbeat.
                if (await _signal.WaitAsync(heartbeat, stoppingToken))
                {
                    await Task.Delay(options.Value.BatchDelay, time, stoppingToken);
                }

                Send();
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                LogSendFailed(exception);
            }
        }
    }

    private void Send()
    {
        EntitlementsFeedBatch batch;
        KeyValuePair<IEntitlementsFeedObserver, DateTimeOffset>[] followers;
        lock (_gate)
        {
            while (_signal.CurrentCount > 0)
            {
                _signal.Wait(0);
            }

            var now = time.GetUtcNow();
            foreach (var lapsed in _followers.Where(f => f.Value < now).Select(f => f.Key).ToList())
            {
                _followers.Remove(lapsed);
            }

            if (_changes.Count > 0 || _departed.Count > 0)
            {
                batch = new EntitlementsFeedBatch(Source, ++_sequence, [.. _changes], [.. _departed]);
                _changes = [];
                _departed = [];
            }
            else
            {
                batch = new EntitlementsFeedBatch(Source, _sequence, [], []);
            }

            followers = [.. _followers];
        }

        foreach (var (follower, _) in followers)
        {
            // One-way: a slow or gone gateway holds up no other, and its lapse removes it.
            _ = follower.OnChangesAsync(batch);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not send the entitlements feed; the followers notice the gap")]
    private partial void LogSendFailed(Exception exception);
}

/// <summary><c>Billing:EntitlementsFeed</c>: how a silo's feed of entitlement changes is sent.</summary>
public sealed class EntitlementsFeedOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Billing:EntitlementsFeed";

    /// <summary>How often a quiet feed says where it is: the longest a lost batch goes unnoticed.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How long the changes after a first one are gathered into its batch.</summary>
    public TimeSpan BatchDelay { get; set; } = TimeSpan.FromMilliseconds(2);
}
