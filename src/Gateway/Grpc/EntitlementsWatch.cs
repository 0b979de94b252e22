using System.Threading.Channels;
using Billing.Grains.Customers;

namespace Billing.Gateway.Grpc;

/// <summary>
/// One WatchEntitlements call's view of a customer: subscribed to the grain as an observer, renewed every
/// <see cref="ICustomerGrain.WatchRenewal"/>. Each renewal also returns the current state, so a change missed
/// while the grain moved to another silo (observers are not durable) still reaches the caller.
/// </summary>
public sealed partial class EntitlementsWatch : IEntitlementsObserver, IAsyncDisposable
{
    // A caller that reads slower than the customer changes skips to newer versions rather than growing memory.
    private readonly Channel<CustomerEntitlements> _changes = Channel.CreateBounded<CustomerEntitlements>(
        new BoundedChannelOptions(256) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    private readonly IGrainFactory _grains;
    private readonly ICustomerGrain _customer;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private IEntitlementsObserver? _reference;
    private Task _renewals = Task.CompletedTask;

    private EntitlementsWatch(IGrainFactory grains, string customerId, ILogger logger)
    {
        _grains = grains;
        _customer = grains.GetGrain<ICustomerGrain>(customerId);
        _logger = logger;
    }

    /// <summary>The current entitlements first, then every change, in the order the grain made them.</summary>
    public ChannelReader<CustomerEntitlements> Changes => _changes.Reader;

    /// <summary>Subscribes to <paramref name="customerId"/>; the current entitlements are the first item of <see cref="Changes"/>.</summary>
    public static async Task<EntitlementsWatch> StartAsync(IGrainFactory grains, string customerId, ILogger logger)
    {
        var watch = new EntitlementsWatch(grains, customerId, logger);
        watch._reference = grains.CreateObjectReference<IEntitlementsObserver>(watch);
        watch._changes.Writer.TryWrite(await watch._customer.WatchAsync(watch._reference));
        watch._renewals = watch.RenewAsync(watch._stop.Token);
        return watch;
    }

    /// <inheritdoc/>
    public Task OnEntitlementsChangedAsync(CustomerEntitlements entitlements)
    {
        _changes.Writer.TryWrite(entitlements);
        return Task.CompletedTask;
    }

    private async Task RenewAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(ICustomerGrain.WatchRenewal);
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            try
            {
                _changes.Writer.TryWrite(await _customer.WatchAsync(_reference!).WaitAsync(cancellationToken));
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // A silo going away: the next renewal re-subscribes wherever the grain lives then.
                LogRenewalFailed(_logger, exception);
            }
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _renewals;
        }
        catch (OperationCanceledException)
        {
        }

        try
        {
            await _customer.UnwatchAsync(_reference!).WaitAsync(TimeSpan.FromSeconds(2));
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The subscription lapses by itself.
            LogUnwatchFailed(_logger, exception);
        }

        _grains.DeleteObjectReference<IEntitlementsObserver>(_reference!);
        _stop.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not renew an entitlements watch; retrying at the next renewal")]
    private static partial void LogRenewalFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not end an entitlements watch; it will lapse")]
    private static partial void LogUnwatchFailed(ILogger logger, Exception exception);
}
