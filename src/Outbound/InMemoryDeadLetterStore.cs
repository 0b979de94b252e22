using Microsoft.Extensions.Logging;

namespace Billing.Outbound;

/// <summary>
/// Dead letters in this process's memory, for a host without <c>ConnectionStrings:Billing</c> (a quick local look):
/// lost on restart, and seen only by this process's admin API. Says so loudly.
/// </summary>
public sealed partial class InMemoryDeadLetterStore : DeadLetterStore
{
    private readonly Lock _lock = new();
    private readonly List<DeadLetter> _deadLetters = [];
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Creates an empty store.</summary>
    public InMemoryDeadLetterStore(TimeProvider time, ILogger<InMemoryDeadLetterStore> logger)
    {
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        LogNotDurable(_logger);
    }

    /// <inheritdoc />
    public override bool IsDurable => false;

    /// <inheritdoc />
    public override Task<bool> AddAsync(NewDeadLetter deadLetter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(deadLetter);
        lock (_lock)
        {
            if (_deadLetters.Exists(existing => existing.PurgedAt is null &&
                                                existing.MessageId == deadLetter.MessageId &&
                                                existing.Target == deadLetter.Target &&
                                                existing.Endpoint == deadLetter.Endpoint))
            {
                return Task.FromResult(false);
            }

            var id = _deadLetters.Count + 1L;
            _deadLetters.Add(new DeadLetter(id, deadLetter.MessageId, deadLetter.MessageType, deadLetter.Target,
                deadLetter.CustomerId, deadLetter.Endpoint, deadLetter.Body, deadLetter.StatusCode, deadLetter.Error,
                _time.GetUtcNow(), ReplayedAt: null, ReplayStatusCode: null));
            LogKeptInMemory(_logger, id, deadLetter.MessageId);
            return Task.FromResult(true);
        }
    }

    /// <inheritdoc />
    public override Task<IReadOnlyList<DeadLetter>> ListAsync(DeadLetterQuery query, CancellationToken cancellationToken = default)
    {
        Validate(query);
        lock (_lock)
        {
            IReadOnlyList<DeadLetter> page = _deadLetters
                .Where(letter => (query.Before is not { } before || letter.Id < before) &&
                                 (!query.PendingOnly || letter.IsPending) &&
                                 (query.CustomerId is null || letter.CustomerId == query.CustomerId))
                .OrderByDescending(letter => letter.Id)
                .Take(query.Limit)
                .Select(letter => letter with { Body = null })
                .ToList();
            return Task.FromResult(page);
        }
    }

    /// <inheritdoc />
    public override Task<DeadLetter?> GetAsync(long id, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(_deadLetters.Find(letter => letter.Id == id));
        }
    }

    /// <inheritdoc />
    public override Task<DateTimeOffset?> MarkReplayedAsync(long id, int statusCode, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var index = _deadLetters.FindIndex(letter => letter.Id == id);
            if (index < 0)
            {
                return Task.FromResult<DateTimeOffset?>(null);
            }

            var now = _time.GetUtcNow();
            _deadLetters[index] = _deadLetters[index] with { ReplayedAt = now, ReplayStatusCode = statusCode };
            return Task.FromResult<DateTimeOffset?>(now);
        }
    }

    /// <inheritdoc />
    public override Task<int> PurgeAsync(DateTimeOffset createdBefore, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            var purged = 0;
            for (var i = 0; i < _deadLetters.Count && purged < limit; i++)
            {
                var letter = _deadLetters[i];
                if (letter.PurgedAt is null && letter.CreatedAt < createdBefore)
                {
                    _deadLetters[i] = letter with
                    {
                        Endpoint = DeadLetterRedaction.Origin(letter.Endpoint),
                        Body = DeadLetterRedaction.Body(letter.Body),
                        Error = DeadLetterRedaction.Error(letter.StatusCode),
                        PurgedAt = now,
                    };
                    purged++;
                }
            }

            return Task.FromResult(purged);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message =
        "DEAD LETTERS ARE NOT DURABLE: ConnectionStrings:Billing is not set, so outbound messages that endpoints refuse " +
        "are kept in this process's memory only, lost on restart and invisible to other processes' admin API.")]
    private static partial void LogNotDurable(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dead letter {DeadLetterId} (message {MessageId}) is kept in memory only: it is lost on restart")]
    private static partial void LogKeptInMemory(ILogger logger, long deadLetterId, string messageId);
}
