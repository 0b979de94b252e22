using Billing.Grains.Journal;
using Billing.Journal;

namespace Billing.Gateway.Tests.Infrastructure;

/// <summary>The real journal, with appends that fail, lag, conflict or lose their answer on demand (<see cref="JournalFaults"/>).</summary>
public sealed class FaultInjectingJournalStore(IJournalStore inner, JournalFaults faults) : IJournalStore
{
    public bool Durable => inner.Durable;

    public async Task<AppendOutcome> AppendAsync(JournalAppend append, CancellationToken cancellationToken = default)
    {
        if (faults.AppendDelay is { Ticks: > 0 } delay)
        {
            await Task.Delay(delay, cancellationToken);
        }

        if (faults.FailAppends)
        {
            return AppendOutcome.Failed;
        }

        if (faults.TakeConflict())
        {
            return AppendOutcome.Conflict;
        }

        var outcome = await inner.AppendAsync(append, cancellationToken);
        return outcome == AppendOutcome.Appended && faults.TakeUnknown() ? AppendOutcome.Unknown : outcome;
    }

    public Task<CustomerJournal> LoadAsync(string customerId, long afterVersion, DateTimeOffset recentSince, CancellationToken cancellationToken = default) =>
        inner.LoadAsync(customerId, afterVersion, recentSince, cancellationToken);

    public Task<CustomerJournal> LoadLatestAsync(string customerId, DateTimeOffset recentSince, CancellationToken cancellationToken = default) =>
        inner.LoadLatestAsync(customerId, recentSince, cancellationToken);

    public Task<IReadOnlySet<string>> FindExistingAsync(string customerId, IReadOnlyCollection<string> eventIds, CancellationToken cancellationToken = default) =>
        inner.FindExistingAsync(customerId, eventIds, cancellationToken);

    public Task<JournalEntry?> FindEntryAsync(string customerId, string eventId, CancellationToken cancellationToken = default) =>
        inner.FindEntryAsync(customerId, eventId, cancellationToken);

    public Task<IReadOnlyList<JournalEntry>> ReadAsync(string customerId, long afterVersion, long upToVersion, int limit, bool withFacts,
        CancellationToken cancellationToken = default) =>
        inner.ReadAsync(customerId, afterVersion, upToVersion, limit, withFacts, cancellationToken);

    public Task<IReadOnlyList<HistoryEntry>> ListAsync(string customerId, long afterVersion, int limit, CancellationToken cancellationToken = default) =>
        inner.ListAsync(customerId, afterVersion, limit, cancellationToken);

    public Task<HistoryEntry?> LatestAtAsync(string customerId, DateTimeOffset instant, CancellationToken cancellationToken = default) =>
        inner.LatestAtAsync(customerId, instant, cancellationToken);

    public Task<long> HeadVersionAsync(string customerId, CancellationToken cancellationToken = default) =>
        inner.HeadVersionAsync(customerId, cancellationToken);

    public Task MarkSnapshotAsync(string customerId, long version, CancellationToken cancellationToken = default) =>
        inner.MarkSnapshotAsync(customerId, version, cancellationToken);

    public Task<long> LoadCursorAsync(string consumer, string customerId, CancellationToken cancellationToken = default) =>
        inner.LoadCursorAsync(consumer, customerId, cancellationToken);

    public Task SaveCursorAsync(string consumer, string customerId, long version, CancellationToken cancellationToken = default) =>
        inner.SaveCursorAsync(consumer, customerId, version, cancellationToken);

    public Task<IReadOnlyList<string>> FindDueGracesAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default) =>
        inner.FindDueGracesAsync(now, limit, cancellationToken);

    public Task<IReadOnlyList<LaggingConsumer>> FindLaggingConsumersAsync(DateTimeOffset quietSince, int limit, CancellationToken cancellationToken = default) =>
        inner.FindLaggingConsumersAsync(quietSince, limit, cancellationToken);

    public Task<PruneResult> PruneAsync(string? afterCustomerId, int customers, DateTimeOffset cutoff, CancellationToken cancellationToken = default) =>
        inner.PruneAsync(afterCustomerId, customers, cutoff, cancellationToken);

    public Task<IReadOnlyList<string>> ListCustomersAsync(string? afterCustomerId, int limit, CancellationToken cancellationToken = default) =>
        inner.ListCustomersAsync(afterCustomerId, limit, cancellationToken);
}
