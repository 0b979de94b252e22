using System.Diagnostics;
using Billing.Grains.Journal;
using Billing.Journal;
using Billing.Outbound;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Streams;
using Orleans.Streams.Core;

namespace Billing.Grains.Fanout;

/// <summary>
/// What the fulfillment and notification grains share: consume one customer's stream and deliver what each journal
/// entry has for this consumer, once in effect and in journal order. The consumer remembers the journal version it
/// has delivered up to (its cursor, stored through the journal's group-commit writer about once a second rather than
/// per message); an item whose previous entry it has not delivered shows a gap, which it reads from the journal
/// first. A delivery that must be retried stops the consumer where it is: later entries wait behind it, and the next
/// item or the journal's sweeper brings it back, after a backoff. See docs/adr/0008. Each entry's delivery is a
/// <c>billing.fanout.deliver</c> span in the trace of the call that published it (<see cref="FanoutTracing"/>, ADR 0011).
/// Deliveries run inside the grain's turns, and a turn must end before its caller (the stream agent, the sweeper)
/// gives up on it at the grain-call timeout: one call is bounded by <see cref="OutboundDelivery.CallBudget"/> (below
/// that timeout, checked at start-up), and a turn starts another call only while a whole one still fits; the rest
/// goes on in a turn of its own at once.
/// </summary>
public abstract partial class FanoutConsumerGrain(
    IJournalStore journal,
    OutboundDelivery delivery,
    IOptions<SiloMessagingOptions> messaging,
    TimeProvider time,
    ILogger logger) : Grain, IAsyncObserver<FanoutItem>, IStreamSubscriptionObserver, IFanoutConsumer
{
    private const int PageSize = 200;
    private const int MaxRememberedOrigins = 256;
    private static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan LongestRetry = TimeSpan.FromMinutes(5);

    // What a turn keeps free after its last call for the rest of the turn (cursor, dead-letter write, scheduling).
    private static readonly TimeSpan TurnMargin = TimeSpan.FromMilliseconds(500);

    private long _delivered;
    private long _stored;
    private bool _cursorLoaded;
    private IGrainTimer? _flushTimer;
    private DateTimeOffset _retryAfter = DateTimeOffset.MinValue;
    private int _failures;
    private long _turnStarted;
    private int _callsThisTurn;
    private IGrainTimer? _continuation;

    // The trace context of items this activation received and has not delivered yet (a retry after a backoff links
    // to it); bounded, and forgotten once delivered. Lost with the activation: a redelivery after a crash has no link.
    private readonly SortedDictionary<long, ActivityContext> _origins = [];

    /// <summary>This consumer's name in the journal's cursors (also its stream namespace).</summary>
    protected abstract string Consumer { get; }

    /// <summary>Where this consumer delivers.</summary>
    protected abstract OutboundTarget Target { get; }

    private string CustomerId => this.GetPrimaryKeyString();

    /// <summary>Whether an entry with <paramref name="effects"/> has anything for this consumer.</summary>
    protected abstract bool IsFor(JournalEffects effects);

    /// <summary>The messages (contract type and JSON body) this consumer delivers for one entry.</summary>
    protected abstract IEnumerable<IFanoutMessage> MessagesOf(string customerId, DateTimeOffset recordedAt, JournalEffects effects);

    /// <summary>The contract's type and JSON body of <paramref name="message"/>.</summary>
    protected abstract (string Type, byte[] Body) Serialize(IFanoutMessage message);

    /// <inheritdoc/>
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        await FlushAsync();
        await base.OnDeactivateAsync(reason, cancellationToken);
    }

    /// <inheritdoc/>
    public async Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory)
    {
        ArgumentNullException.ThrowIfNull(handleFactory);
        await handleFactory.Create<FanoutItem>().ResumeAsync(this);
    }

    /// <inheritdoc/>
    public async Task OnNextAsync(FanoutItem item, StreamSequenceToken? token = null)
    {
        ArgumentNullException.ThrowIfNull(item);
        StartTurn();
        if (item.PreviousVersion > _delivered)
        {
            // Something before this item was not delivered by this activation: the stored cursor says whether it was
            // delivered before (it is read once per activation, and never for a new customer's first item).
            await LoadCursorAsync();
        }

        if (item.Version <= _delivered)
        {
            return; // delivered already: a redelivery, or read from the journal while filling a gap
        }

        var origin = FanoutTracing.Parse(item.TraceParent);
        Remember(item.Version, origin);
        if (item.PreviousVersion > _delivered && !await CatchUpToAsync(item.Version - 1))
        {
            return;
        }

        if (time.GetUtcNow() >= _retryAfter)
        {
            await DeliverAsync(item.Version, item.RecordedAt, item.Effects, origin, redelivery: false);
        }
    }

    /// <inheritdoc/>
    public async Task CatchUpAsync()
    {
        StartTurn();
        await LoadCursorAsync();
        await CatchUpToAsync(long.MaxValue);
    }

    /// <inheritdoc/>
    public async Task<long> GetDeliveredVersionAsync()
    {
        await LoadCursorAsync();
        return _delivered;
    }

    /// <inheritdoc/>
    public Task OnCompletedAsync() => Task.CompletedTask;

    /// <inheritdoc/>
    public Task OnErrorAsync(Exception ex) => Task.CompletedTask;

    // Read when first needed rather than on activation: an item that follows what this activation delivered needs
    // none. Never moves the cursor back over what this activation delivered.
    private async Task LoadCursorAsync()
    {
        if (!_cursorLoaded)
        {
            var stored = await journal.LoadCursorAsync(Consumer, CustomerId);
            _stored = Math.Max(_stored, stored);
            _delivered = Math.Max(_delivered, stored);
            _cursorLoaded = true;
        }
    }

    // Delivers what the journal holds for this consumer after the cursor, up to upTo; false if a delivery must wait.
    private async Task<bool> CatchUpToAsync(long upTo)
    {
        if (time.GetUtcNow() < _retryAfter)
        {
            return false;
        }

        for (var readFrom = _delivered; ;)
        {
            var entries = await journal.ReadAsync(CustomerId, readFrom, upTo, PageSize, withFacts: false);
            foreach (var entry in entries)
            {
                readFrom = entry.Version;
                if (IsFor(entry.Effects) &&
                    !await DeliverAsync(entry.Version, entry.RecordedAt, entry.Effects, OriginOf(entry.Version), redelivery: true))
                {
                    return false;
                }
            }

            if (entries.Count < PageSize)
            {
                return true;
            }
        }
    }

    // Delivers one entry's messages; the cursor moves past it only when every one is handled (delivered, dead-lettered
    // or nothing configured). A retry resends all of them: receivers dedupe by id.
    private async Task<bool> DeliverAsync(long version, DateTimeOffset recordedAt, JournalEffects effects, ActivityContext? origin,
        bool redelivery)
    {
        using var activity = FanoutTracing.StartDeliver(Consumer, CustomerId, version, origin, redelivery);
        foreach (var message in MessagesOf(CustomerId, recordedAt, effects))
        {
            if (!CallFitsInTurn())
            {
                // Not a failure: this turn has no room for another whole call; a turn of its own goes on at once.
                activity?.SetTag("billing.fanout.continued", true);
                ContinueInNextTurn();
                return false;
            }

            _callsThisTurn++;
            var (type, body) = Serialize(message);
            var outcome = await delivery.DeliverAsync(Target, message.Id, type, message.CustomerId, body);
            if (outcome == DeliveryOutcome.RetryLater)
            {
                _failures++;
                var backoff = TimeSpan.FromTicks(Math.Min(LongestRetry.Ticks, FirstRetry.Ticks << Math.Min(_failures - 1, 16)));
                _retryAfter = time.GetUtcNow() + backoff;
                LogRetryLater(message.Id, Target, backoff);
                activity?.SetStatus(ActivityStatusCode.Error, "retry_later");
                return false;
            }

            LogHandled(message.Id, type, outcome);
        }

        _failures = 0;
        _retryAfter = DateTimeOffset.MinValue;
        _delivered = version;
        Forget(version);
        _flushTimer ??= this.RegisterGrainTimer(_ => FlushAsync(), new GrainTimerCreationOptions(FlushInterval, FlushInterval));
        return true;
    }

    private void StartTurn()
    {
        _turnStarted = time.GetTimestamp();
        _callsThisTurn = 0;
    }

    // The first call of a turn always goes (its budget is below the grain-call timeout); another one only if it would
    // still end, with a margin, before the caller of this turn gives up.
    private bool CallFitsInTurn() =>
        _callsThisTurn == 0 ||
        time.GetElapsedTime(_turnStarted) + delivery.CallBudget + TurnMargin <= messaging.Value.ResponseTimeout;

    private void ContinueInNextTurn() =>
        _continuation ??= this.RegisterGrainTimer(_ => ContinueAsync(), new GrainTimerCreationOptions(TimeSpan.Zero, Timeout.InfiniteTimeSpan));

    private async Task ContinueAsync()
    {
        _continuation?.Dispose();
        _continuation = null;
        await CatchUpAsync();
    }

    private void Remember(long version, ActivityContext? origin)
    {
        // When full, the oldest are kept: they are the ones delivered next.
        if (origin is { } context && (_origins.Count < MaxRememberedOrigins || _origins.ContainsKey(version)))
        {
            _origins[version] = context;
        }
    }

    private ActivityContext? OriginOf(long version) => _origins.TryGetValue(version, out var origin) ? origin : null;

    private void Forget(long deliveredUpTo)
    {
        while (_origins.Count > 0 && _origins.Keys.First() <= deliveredUpTo)
        {
            _origins.Remove(_origins.Keys.First());
        }
    }

    private async Task FlushAsync()
    {
        if (_delivered <= _stored)
        {
            _flushTimer?.Dispose();
            _flushTimer = null;
            return;
        }

        var delivered = _delivered;
        try
        {
            await journal.SaveCursorAsync(Consumer, CustomerId, delivered);
            _stored = Math.Max(_stored, delivered);
        }
        catch (Exception exception)
        {
            // Tried again at the next tick; if the silo dies first, the journal redelivers from the stored cursor.
            LogCursorNotStored(exception, CustomerId);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Handled message {MessageId} ({MessageType}): {Outcome}")]
    private partial void LogHandled(string messageId, string messageType, DeliveryOutcome outcome);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {MessageId} to {Target} could not be delivered now; retrying in {Backoff}")]
    private partial void LogRetryLater(string messageId, OutboundTarget target, TimeSpan backoff);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not store the fan-out cursor of customer {CustomerId}; retrying")]
    private partial void LogCursorNotStored(Exception exception, string customerId);
}
