namespace Billing.Outbound;

/// <summary>
/// Where refused messages wait for an operator: <see cref="PostgresDeadLetterStore"/> (table <c>billing_dead_letters</c>)
/// when <c>ConnectionStrings:Billing</c> is set, <see cref="InMemoryDeadLetterStore"/> otherwise. A message is stored at
/// most once per target and endpoint, however often it is delivered.
/// </summary>
public abstract class DeadLetterStore
{
    /// <summary>Whether dead letters survive a restart of this process.</summary>
    public abstract bool IsDurable { get; }

    /// <summary>Stores <paramref name="deadLetter"/>; false when that message was already stored for that target and endpoint.</summary>
    public abstract Task<bool> AddAsync(NewDeadLetter deadLetter, CancellationToken cancellationToken = default);

    /// <summary>A page of dead letters, newest first, without their bodies.</summary>
    public abstract Task<IReadOnlyList<DeadLetter>> ListAsync(DeadLetterQuery query, CancellationToken cancellationToken = default);

    /// <summary>One dead letter with its body, or null when there is none with that id.</summary>
    public abstract Task<DeadLetter?> GetAsync(long id, CancellationToken cancellationToken = default);

    /// <summary>Records that a replay was answered <paramref name="statusCode"/>; null when there is no such dead letter.</summary>
    public abstract Task<DateTimeOffset?> MarkReplayedAsync(long id, int statusCode, CancellationToken cancellationToken = default);

    /// <summary>
    /// Purges up to <paramref name="limit"/> of the oldest dead letters stored before <paramref name="createdBefore"/>
    /// and not purged yet (see <see cref="DeadLetterRedaction"/>); returns how many it purged.
    /// </summary>
    public abstract Task<int> PurgeAsync(DateTimeOffset createdBefore, int limit, CancellationToken cancellationToken = default);

    /// <summary>Checks a query's bounds.</summary>
    protected static void Validate(DeadLetterQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1, nameof(query));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(query.Limit, DeadLetterQuery.MaxLimit, nameof(query));
    }

    /// <summary>How a target is written in the table and the admin API.</summary>
    public static string TargetName(OutboundTarget target) => target switch
    {
        OutboundTarget.Fulfillment => "fulfillment",
        OutboundTarget.Notifications => "notifications",
        _ => throw new ArgumentOutOfRangeException(nameof(target), target, "Unknown outbound target."),
    };

    /// <summary>The target written as <paramref name="name"/>.</summary>
    public static OutboundTarget ParseTarget(string name) => name switch
    {
        "fulfillment" => OutboundTarget.Fulfillment,
        "notifications" => OutboundTarget.Notifications,
        _ => throw new FormatException($"Unknown outbound target '{name}'."),
    };
}
