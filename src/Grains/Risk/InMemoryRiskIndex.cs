namespace Billing.Grains.Risk;

/// <summary>
/// The at-risk index in the silo's memory, for hosts without <c>ConnectionStrings:Billing</c> (development, one silo):
/// lost at stop, private to the silo, like the rest of such a host's state.
/// </summary>
public sealed class InMemoryRiskIndex : IRiskIndex
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, RiskIndexRow> _rows = new(StringComparer.Ordinal);
    private readonly SortedSet<RiskIndexRow> _ordered = new(Comparer<RiskIndexRow>.Create(ListOrder));

    /// <inheritdoc/>
    public Task UpsertAsync(string customerKey, RiskAssessment assessment, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(customerKey);
        ArgumentNullException.ThrowIfNull(assessment);
        at = RiskIndexRow.Microseconds(at);
        lock (_lock)
        {
            if (_rows.TryGetValue(customerKey, out var current))
            {
                if (current.UpdatedAt > at || current.Assessment.SameAs(assessment))
                {
                    return Task.CompletedTask;
                }

                _ordered.Remove(current);
            }

            var row = new RiskIndexRow(customerKey, assessment, at);
            _rows[customerKey] = row;
            _ordered.Add(row);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task RemoveAsync(string customerKey, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(customerKey);
        lock (_lock)
        {
            if (_rows.TryGetValue(customerKey, out var current) && current.UpdatedAt <= RiskIndexRow.Microseconds(at))
            {
                _rows.Remove(customerKey);
                _ordered.Remove(current);
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task<AtRiskPage> ListAsync(int limit, RiskCursor? cursor, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        List<RiskIndexRow> page;
        lock (_lock)
        {
            page = [.. _ordered
                .Where(row => cursor is null || cursor.Precedes(row.Assessment.Score, row.UpdatedAt, row.CustomerKey))
                .Where(row => row.EmptyAt is not { } empty || empty > now)
                .Take(limit + 1)];
        }

        return Task.FromResult(RiskPages.Of(page, limit, now));
    }

    // Score descending, then updated_at descending, then customer key descending (ordinal): the list's order.
    private static int ListOrder(RiskIndexRow? left, RiskIndexRow? right)
    {
        var score = right!.Assessment.Score.CompareTo(left!.Assessment.Score);
        if (score != 0)
        {
            return score;
        }

        var updated = right.UpdatedAt.CompareTo(left.UpdatedAt);
        return updated != 0 ? updated : string.CompareOrdinal(right.CustomerKey, left.CustomerKey);
    }
}
