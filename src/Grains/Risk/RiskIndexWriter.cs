using System.Threading.Channels;

namespace Billing.Grains.Risk;

/// <summary>One write of the at-risk index: a customer's row set (<see cref="Assessment"/>) or removed (null), as of <see cref="At"/>.</summary>
internal sealed record RiskWrite(string CustomerKey, RiskAssessment? Assessment, DateTimeOffset At);

/// <summary>
/// Gathers the index writes of a silo's customer grains and hands them to the store in batches, one batch in flight
/// at a time (group commit, as the journal's writer does): under load the batch grows by itself, with no added wait
/// when the silo is quiet. A customer written twice in one batch keeps only its latest write (a statement may touch a
/// row once). Each caller's task completes when its batch is stored, or fails with the batch's error.
/// </summary>
internal sealed class RiskIndexWriter : IAsyncDisposable
{
    private const int MaxBatch = 1_000;

    private readonly Func<IReadOnlyList<RiskWrite>, Task> _store;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _loop;

    public RiskIndexWriter(Func<IReadOnlyList<RiskWrite>, Task> store)
    {
        _store = store;
        _loop = Task.Run(RunAsync);
    }

    public Task WriteAsync(RiskWrite write)
    {
        var pending = new Pending(write);
        return _queue.Writer.TryWrite(pending) ? pending.Done.Task : Task.FromException(new ObjectDisposedException(nameof(RiskIndexWriter)));
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
    }

    private async Task RunAsync()
    {
        var taken = new List<Pending>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (taken.Count < MaxBatch && _queue.Reader.TryRead(out var pending))
            {
                taken.Add(pending);
            }

            var latest = taken.GroupBy(p => p.Write.CustomerKey, StringComparer.Ordinal)
                .Select(customer => customer.Aggregate((kept, next) => next.Write.At >= kept.Write.At ? next : kept).Write)
                .ToArray();
            try
            {
                await _store(latest);
                taken.ForEach(p => p.Done.TrySetResult());
            }
            catch (Exception exception)
            {
                taken.ForEach(p => p.Done.TrySetException(exception));
            }

            taken.Clear();
        }
    }

    private sealed record Pending(RiskWrite Write)
    {
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
