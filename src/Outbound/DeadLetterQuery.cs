namespace Billing.Outbound;

/// <summary>A page of dead letters, newest first.</summary>
/// <param name="Limit">At most this many (1 to <see cref="MaxLimit"/>).</param>
/// <param name="Before">Only ids below this one: the last id of the previous page.</param>
/// <param name="PendingOnly">Only dead letters no replay has delivered yet.</param>
/// <param name="CustomerId">Only this customer's dead letters.</param>
public sealed record DeadLetterQuery(
    int Limit = DeadLetterQuery.DefaultLimit, long? Before = null, bool PendingOnly = false, string? CustomerId = null)
{
    /// <summary>The page size when none is asked for.</summary>
    public const int DefaultLimit = 50;

    /// <summary>The largest page.</summary>
    public const int MaxLimit = 500;
}
