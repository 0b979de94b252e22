using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Billing.Journal.Postgres;

/// <summary>
/// The silo's one writer to the journal. Customer grains, consumers and snapshots hand it operations; it commits
/// whatever has queued up while the previous commit was in flight as one statement (one round trip, one transaction),
/// so that the database's cost per event falls as load rises. There is no timer: an idle writer commits a lone
/// operation at once, a busy one batches up to <see cref="JournalOptions.MaxBatchRows"/> rows or
/// <see cref="JournalOptions.MaxBatchBytes"/> bytes. Why our own code and not a library: docs/adr/0008.
/// <para>
/// Outcomes: a customer whose head moved gets <see cref="AppendOutcome.Conflict"/> and nothing of it is written,
/// without failing the others; the database refusing the statement fails every operation of the batch with certainty
/// (<see cref="AppendOutcome.Failed"/>; a duplicate event id makes the writer retry the batch one operation at a
/// time, to find whose it is); a connection lost or timed out during the commit gives every operation
/// <see cref="AppendOutcome.Unknown"/>.
/// </para>
/// </summary>
public sealed partial class GroupCommitWriter : IAsyncDisposable
{
    private readonly Channel<WriterOperation> _queue =
        Channel.CreateUnbounded<WriterOperation>(new UnboundedChannelOptions { SingleReader = true });

    private readonly NpgsqlDataSource _dataSource;
    private readonly JournalOptions _options;
    private readonly JournalMetrics _metrics;
    private readonly ILogger<GroupCommitWriter> _logger;
    private readonly Task _loop;

    /// <summary>Starts the writer's loop.</summary>
    public GroupCommitWriter(NpgsqlDataSource dataSource, IOptions<JournalOptions> options, JournalMetrics metrics,
        ILogger<GroupCommitWriter> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _dataSource = dataSource;
        _options = options.Value;
        _metrics = metrics;
        _logger = logger;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Appends one customer's entries in the next group commit.</summary>
    public Task<AppendOutcome> AppendAsync(JournalAppend append)
    {
        ArgumentNullException.ThrowIfNull(append);
        append.Validate();
        var operation = new AppendOperation(append);
        Enqueue(operation);
        return operation.Outcome.Task;
    }

    /// <summary>Stores a consumer's cursor in the next group commit.</summary>
    public Task SaveCursorAsync(string consumer, string customerId, long version) =>
        Mark(new MarkOperation(MarkKind.Cursor, consumer, customerId, version));

    /// <summary>Records a customer's stored snapshot version in the next group commit.</summary>
    public Task MarkSnapshotAsync(string customerId, long version) =>
        Mark(new MarkOperation(MarkKind.Snapshot, string.Empty, customerId, version));

    /// <summary>Commits what is queued, then stops.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop.WaitAsync(_options.CommitTimeout * 2).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private Task Mark(MarkOperation operation)
    {
        Enqueue(operation);
        return operation.Done.Task;
    }

    private void Enqueue(WriterOperation operation)
    {
        if (!_queue.Writer.TryWrite(operation))
        {
            operation.Fail(AppendOutcome.Failed, new ObjectDisposedException(nameof(GroupCommitWriter)));
        }
    }

    // One commit at a time: what arrives meanwhile waits and goes into the next. Operations that could not join a
    // batch (the batch was full, or already had one for the same row) go first into the next one, in order.
    private async Task RunAsync()
    {
        var carried = new Queue<WriterOperation>();
        while (carried.Count > 0 || await _queue.Reader.WaitToReadAsync())
        {
            var batch = new WriterBatch(_options.MaxBatchRows, _options.MaxBatchBytes);
            var deferred = new List<WriterOperation>();
            while (carried.TryDequeue(out var operation))
            {
                if (!batch.TryAdd(operation))
                {
                    deferred.Add(operation);
                }
            }

            while (!batch.IsFull && _queue.Reader.TryRead(out var operation))
            {
                if (!batch.TryAdd(operation))
                {
                    deferred.Add(operation);
                }
            }

            foreach (var operation in deferred)
            {
                carried.Enqueue(operation);
            }

            try
            {
                await CommitAsync(batch, isolated: false);
            }
            catch (Exception exception)
            {
                // Never let the loop die: whatever went wrong, every waiter gets an answer.
                LogCommitCrashed(exception);
                batch.Fail(AppendOutcome.Unknown, exception);
            }
        }
    }

    private async Task CommitAsync(WriterBatch batch, bool isolated)
    {
        var started = Stopwatch.GetTimestamp();
        var outcome = await TryCommitAsync(batch);
        if (outcome == CommitResult.Retry)
        {
            outcome = await TryCommitAsync(batch);
            if (outcome == CommitResult.Retry)
            {
                batch.Fail(AppendOutcome.Failed, new InvalidOperationException("the group commit was rolled back twice"));
                outcome = CommitResult.Failed;
            }
        }

        if (outcome == CommitResult.Isolate)
        {
            if (isolated || batch.Count == 1)
            {
                // This operation itself holds an event id the journal already has.
                batch.Fail(AppendOutcome.DuplicateEvent, new InvalidOperationException("duplicate event id"));
            }
            else
            {
                LogIsolating(batch.Count);
                foreach (var operation in batch.Operations.ToList())
                {
                    var single = new WriterBatch(int.MaxValue, int.MaxValue);
                    single.TryAdd(operation);
                    await CommitAsync(single, isolated: true);
                }
            }
        }

        _metrics.RecordCommit(batch.Rows, batch.Count, ResultName(outcome), Stopwatch.GetElapsedTime(started));
    }

    private async Task<CommitResult> TryCommitAsync(WriterBatch batch)
    {
        using var timeout = new CancellationTokenSource(_options.CommitTimeout);
        NpgsqlConnection connection;
        try
        {
            connection = await _dataSource.OpenConnectionAsync(timeout.Token);
        }
        catch (Exception exception)
        {
            // Nothing was sent: certain.
            LogUnavailable(exception, batch.Count);
            batch.Fail(AppendOutcome.Failed, exception);
            return CommitResult.Failed;
        }

        await using (connection)
        {
            try
            {
                await using var command = batch.CreateCommand(connection);
                command.CommandTimeout = Math.Max(1, (int)Math.Ceiling(_options.CommitTimeout.TotalSeconds));
                var appended = new HashSet<string>(StringComparer.Ordinal);
                await using (var reader = await command.ExecuteReaderAsync(timeout.Token))
                {
                    while (await reader.ReadAsync(timeout.Token))
                    {
                        appended.Add(reader.GetString(0));
                    }
                }

                batch.Complete(appended);
                return CommitResult.Committed;
            }
            catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.UniqueViolation)
            {
                // An event id already journaled (older than the grain's dedupe memory, or a bug): the statement rolled
                // back as a whole. Find whose it is by committing the operations one by one.
                return CommitResult.Isolate;
            }
            catch (PostgresException exception) when (exception.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure)
            {
                // Two silos' batches locking the same heads in opposite orders (only during a handover): rolled back.
                LogRetrying(exception.SqlState);
                return CommitResult.Retry;
            }
            catch (PostgresException exception)
            {
                // The server refused the statement: it rolled back, nothing is written.
                LogRefused(exception, batch.Count);
                batch.Fail(AppendOutcome.Failed, exception);
                return CommitResult.Failed;
            }
            catch (Exception exception)
            {
                // The connection broke or the commit timed out: it may have committed. Every caller must reload.
                LogOutcomeUnknown(exception, batch.Count);
                batch.Fail(AppendOutcome.Unknown, exception);
                return CommitResult.Unknown;
            }
        }
    }

    private static string ResultName(CommitResult result) => result switch
    {
        CommitResult.Committed => "committed",
        CommitResult.Failed => "failed",
        CommitResult.Unknown => "unknown",
        _ => "isolated",
    };

    private enum CommitResult
    {
        Committed,
        Failed,
        Unknown,
        Retry,
        Isolate,
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The journal database is unavailable: {Operations} operation(s) failed and were not written")]
    private partial void LogUnavailable(Exception exception, int operations);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The journal database refused a group commit: {Operations} operation(s) failed and were not written")]
    private partial void LogRefused(Exception exception, int operations);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A group commit of {Operations} operation(s) ended with an unknown outcome; their customers reload from the journal")]
    private partial void LogOutcomeUnknown(Exception exception, int operations);

    [LoggerMessage(Level = LogLevel.Information, Message = "A group commit hit an event id the journal already holds; committing its {Operations} operations one by one")]
    private partial void LogIsolating(int operations);

    [LoggerMessage(Level = LogLevel.Information, Message = "A group commit was rolled back ({SqlState}); retrying it once")]
    private partial void LogRetrying(string sqlState);

    [LoggerMessage(Level = LogLevel.Error, Message = "The group-commit writer failed unexpectedly; the batch's callers reload")]
    private partial void LogCommitCrashed(Exception exception);
}
