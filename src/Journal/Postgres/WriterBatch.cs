using Npgsql;
using NpgsqlTypes;

namespace Billing.Journal.Postgres;

/// <summary>The operations of one group commit, bounded by rows and bytes, at most one per key; becomes one command.</summary>
internal sealed class WriterBatch(int maxRows, int maxBytes)
{
    private readonly HashSet<string> _keys = new(StringComparer.Ordinal);
    private readonly List<AppendOperation> _appends = [];
    private readonly List<MarkOperation> _marks = [];
    private int _rows;
    private int _bytes;

    public int Count => _appends.Count + _marks.Count;

    public int Rows => _rows;

    public bool IsFull => _rows >= maxRows || _bytes >= maxBytes;

    public IEnumerable<WriterOperation> Operations => _appends.Cast<WriterOperation>().Concat(_marks);

    /// <summary>Adds <paramref name="operation"/> unless its key is taken or it does not fit (an empty batch takes anything).</summary>
    public bool TryAdd(WriterOperation operation)
    {
        if (_keys.Contains(operation.Key) ||
            (Count > 0 && (_rows + operation.Rows > maxRows || _bytes + operation.Bytes > maxBytes)))
        {
            return false;
        }

        _keys.Add(operation.Key);
        _rows += operation.Rows;
        _bytes += operation.Bytes;
        switch (operation)
        {
            case AppendOperation append:
                _appends.Add(append);
                break;
            case MarkOperation mark:
                _marks.Add(mark);
                break;
        }

        return true;
    }

    public void Complete(IReadOnlySet<string> appended)
    {
        foreach (var operation in Operations)
        {
            operation.Complete(appended);
        }
    }

    public void Fail(Billing.Journal.AppendOutcome outcome, Exception exception)
    {
        foreach (var operation in Operations)
        {
            operation.Fail(outcome, exception);
        }
    }

    /// <summary>The one statement of this batch, with every value as an array parameter (a fixed, prepared plan).</summary>
    public NpgsqlCommand CreateCommand(NpgsqlConnection connection, NpgsqlTransaction? transaction = null)
    {
        var heads = _appends.Select(a => a.Append).ToArray();
        var entries = heads.SelectMany(a => a.Entries).ToArray();
        var cursors = _marks.Where(m => m.Kind == MarkKind.Cursor).ToArray();
        var snapshots = _marks.Where(m => m.Kind == MarkKind.Snapshot).ToArray();

        var command = new NpgsqlCommand(JournalSql.GroupCommit, connection, transaction);
        var p = command.Parameters;
        p.Add(Array(heads.Select(h => h.CustomerId), NpgsqlDbType.Text));
        p.Add(Array(heads.Select(h => h.ExpectedVersion), NpgsqlDbType.Bigint));
        p.Add(Array(heads.Select(h => h.Head.Version), NpgsqlDbType.Bigint));
        p.Add(Array(heads.Select(h => Utc(h.Head.GraceEndsAt)), NpgsqlDbType.TimestampTz));
        p.Add(Array(heads.Select(h => h.Head.FulfillmentVersion), NpgsqlDbType.Bigint));
        p.Add(Array(heads.Select(h => h.Head.NotificationVersion), NpgsqlDbType.Bigint));
        p.Add(Array(heads.Select(h => h.Head.SnapshotVersion), NpgsqlDbType.Bigint));

        p.Add(Array(entries.Select(e => e.CustomerId), NpgsqlDbType.Text));
        p.Add(Array(entries.Select(e => e.Version), NpgsqlDbType.Bigint));
        p.Add(Array(entries.Select(e => e.EventId), NpgsqlDbType.Text));
        p.Add(Array(entries.Select(e => e.Type), NpgsqlDbType.Text));
        p.Add(Array(entries.Select(e => Grains.Journal.JournalSources.NameOf(e.Source)), NpgsqlDbType.Text));
        p.Add(Array(entries.Select(e => Utc(e.Created)), NpgsqlDbType.TimestampTz));
        p.Add(Array(entries.Select(e => e.RecordedAt.UtcDateTime), NpgsqlDbType.TimestampTz));
        p.Add(Array(entries.Select(e => e.Facts), NpgsqlDbType.Text));
        p.Add(Array(_appends.SelectMany(a => a.Effects), NpgsqlDbType.Text));

        p.Add(Array(cursors.Select(c => c.Consumer), NpgsqlDbType.Text));
        p.Add(Array(cursors.Select(c => c.CustomerId), NpgsqlDbType.Text));
        p.Add(Array(cursors.Select(c => c.Version), NpgsqlDbType.Bigint));
        p.Add(Array(snapshots.Select(s => s.CustomerId), NpgsqlDbType.Text));
        p.Add(Array(snapshots.Select(s => s.Version), NpgsqlDbType.Bigint));
        return command;
    }

    private static NpgsqlParameter Array<T>(IEnumerable<T> values, NpgsqlDbType elementType) =>
        new() { Value = values.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | elementType };

    private static DateTime? Utc(DateTimeOffset? value) => value?.UtcDateTime;
}
