using Billing.Grains.Journal;

namespace Billing.Journal.Postgres;

/// <summary>One piece of work the group-commit writer carries to the database for a caller, and the caller's answer.</summary>
internal abstract class WriterOperation
{
    /// <summary>
    /// The row this operation writes. A batch holds at most one operation per key: one statement cannot update a row
    /// twice, and a customer's operations must commit in the order they were asked for.
    /// </summary>
    public abstract string Key { get; }

    /// <summary>Journal rows this operation adds (batches are bounded by rows and bytes).</summary>
    public virtual int Rows => 1;

    /// <summary>Bytes of facts and effects this operation adds.</summary>
    public virtual int Bytes => 64;

    /// <summary>The statement committed: the append went through if its customer is in <paramref name="appended"/>.</summary>
    public abstract void Complete(IReadOnlySet<string> appended);

    /// <summary>The statement failed: with certainty (nothing written), or with an unknown outcome.</summary>
    public abstract void Fail(AppendOutcome outcome, Exception exception);
}

/// <summary>An append: answered with its outcome, never an exception.</summary>
internal sealed class AppendOperation : WriterOperation
{
    public AppendOperation(JournalAppend append)
    {
        Append = append;

        // Serialized by the caller (a grain's thread), not by the writer's one loop.
        Effects = [.. append.Entries.Select(entry => JournalJson.Serialize(entry.Effects))];
        Bytes = append.Entries.Sum(entry => entry.Facts.Length + entry.EventId.Length + entry.Type.Length + 96) + Effects.Sum(e => e.Length);
    }

    public JournalAppend Append { get; }

    public string[] Effects { get; }

    public TaskCompletionSource<AppendOutcome> Outcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override string Key => "head:" + Append.CustomerId;

    public override int Rows => Append.Entries.Count;

    public override int Bytes { get; }

    public override void Complete(IReadOnlySet<string> appended) =>
        Outcome.TrySetResult(appended.Contains(Append.CustomerId) ? AppendOutcome.Appended : AppendOutcome.Conflict);

    public override void Fail(AppendOutcome outcome, Exception exception) => Outcome.TrySetResult(outcome);
}

/// <summary>A cursor save or a snapshot mark: completes, or throws <see cref="JournalUnavailableException"/>.</summary>
internal sealed class MarkOperation(MarkKind kind, string consumer, string customerId, long version) : WriterOperation
{
    public MarkKind Kind { get; } = kind;

    /// <summary>The consumer, for a cursor (empty for a snapshot mark).</summary>
    public string Consumer { get; } = consumer;

    public string CustomerId { get; } = customerId;

    public long Version { get; } = version;

    public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override string Key => Kind == MarkKind.Cursor ? $"cursor:{Consumer}:{CustomerId}" : "head:" + CustomerId;

    public override void Complete(IReadOnlySet<string> appended) => Done.TrySetResult();

    public override void Fail(AppendOutcome outcome, Exception exception) =>
        Done.TrySetException(new JournalUnavailableException($"the journal could not store a {Kind.ToString().ToLowerInvariant()} now", exception));
}

/// <summary>What a <see cref="MarkOperation"/> records.</summary>
internal enum MarkKind
{
    /// <summary>A consumer's cursor.</summary>
    Cursor,

    /// <summary>A customer's stored snapshot version.</summary>
    Snapshot,
}
