using System.Threading.Channels;
using Billing.Grains.Journal;
using Npgsql;
using NpgsqlTypes;

namespace Billing.Journal.Postgres;

/// <summary>
/// What activating customer grains read (<see cref="IJournalStore.LoadLatestAsync"/>), many customers in one query:
/// after a deploy or a failover thousands of customers activate within seconds, each with a query of its own, and the
/// round trips and transactions add up. Like the writer, the loader reads whatever queued up while its previous query
/// was in flight, with no timer: a lone activation is read at once.
/// </summary>
public sealed class GroupLoader : IAsyncDisposable
{
    private const int MaxCustomersPerQuery = 128;

    private readonly Channel<Request> _queue = Channel.CreateUnbounded<Request>(new UnboundedChannelOptions { SingleReader = true });
    private readonly NpgsqlDataSource _dataSource;
    private readonly TimeSpan _timeout;
    private readonly Task _loop;

    /// <summary>Starts the loader's loop.</summary>
    public GroupLoader(NpgsqlDataSource dataSource, TimeSpan timeout)
    {
        _dataSource = dataSource;
        _timeout = timeout;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>The customer's journal after the snapshot its head names, and its recent event ids.</summary>
    public Task<CustomerJournal> LoadLatestAsync(string customerId, DateTimeOffset recentSince)
    {
        var request = new Request(customerId, recentSince);
        if (!_queue.Writer.TryWrite(request))
        {
            request.Answer.TrySetException(new ObjectDisposedException(nameof(GroupLoader)));
        }

        return request.Answer.Task;
    }

    /// <summary>Answers what is queued, then stops.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop.WaitAsync(_timeout * 2).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task RunAsync()
    {
        while (await _queue.Reader.WaitToReadAsync())
        {
            var batch = new List<Request>();
            while (batch.Count < MaxCustomersPerQuery && _queue.Reader.TryRead(out var request))
            {
                batch.Add(request);
            }

            try
            {
                await LoadAsync(batch);
            }
            catch (Exception exception)
            {
                foreach (var request in batch)
                {
                    request.Answer.TrySetException(exception);
                }
            }
        }
    }

    private async Task LoadAsync(List<Request> batch)
    {
        using var timeout = new CancellationTokenSource(_timeout);
        var customers = batch.Select(r => r.CustomerId).Distinct(StringComparer.Ordinal).ToArray();
        var recentSince = batch.Min(r => r.RecentSince);
        await using var command = _dataSource.CreateCommand(JournalSql.LoadLatestMany);
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = customers });
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = recentSince.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });

        var journals = new Dictionary<string, (long After, List<JournalEntry> Tail, List<RecentEvent> Recent)>(StringComparer.Ordinal);
        await using (var reader = await command.ExecuteReaderAsync(timeout.Token))
        {
            while (await reader.ReadAsync(timeout.Token))
            {
                var customerId = reader.GetString(0);
                if (!journals.TryGetValue(customerId, out var journal))
                {
                    journal = (reader.GetInt64(1), [], []);
                    journals[customerId] = journal;
                }

                if (reader.IsDBNull(2))
                {
                    continue; // nothing to return for this customer: only its head (or none)
                }

                // Entries before the snapshot come back for their ids only (no facts, no effects).
                journal.Recent.Add(new RecentEvent(reader.GetString(3), PostgresJournalStore.ReadInstant(reader, 7)));
                if (!reader.IsDBNull(8))
                {
                    journal.Tail.Add(PostgresJournalStore.ReadEntry(reader, customerId, first: 2));
                }
            }
        }

        foreach (var request in batch)
        {
            // Each asker gets its own window of recent ids (the query used the widest one).
            var (after, tail, recent) = journals.GetValueOrDefault(request.CustomerId, (0L, [], []));
            request.Answer.TrySetResult(new CustomerJournal(after, tail, [.. recent.Where(r => r.RecordedAt >= request.RecentSince)]));
        }
    }

    private sealed record Request(string CustomerId, DateTimeOffset RecentSince)
    {
        public TaskCompletionSource<CustomerJournal> Answer { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
