namespace Billing.Grains.Risk;

/// <summary>
/// The at-risk list: every customer whose churn-risk assessment is not empty (a score above 0, or a scheduled
/// cancellation), kept by the customer grains and read by operators, highest score first. Derived data: a customer
/// grain writes its row after its journal append and again when it activates, so a write lost to a crash heals then.
/// Writes are ordered by <c>at</c> (the journal time of the change): an older write never replaces a newer one.
/// </summary>
public interface IRiskIndex
{
    /// <summary>
    /// Stores <paramref name="assessment"/> as the customer's row, unless the row was written for a later
    /// <paramref name="at"/>. Writing what the row already says keeps its <c>updated_at</c> (idempotent).
    /// </summary>
    Task UpsertAsync(string customerKey, RiskAssessment assessment, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>Removes the customer's row, unless it was written for a later <paramref name="at"/>.</summary>
    Task RemoveAsync(string customerKey, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>
    /// A page of rows after <paramref name="cursor"/> (null: from the top), ordered by the score written (highest first),
    /// then by <c>updated_at</c> (most recent first), then by customer key; each assessment as of <paramref name="now"/>
    /// (reasons whose window passed are dropped; a row with nothing left is skipped).
    /// </summary>
    Task<AtRiskPage> ListAsync(int limit, RiskCursor? cursor, DateTimeOffset now, CancellationToken cancellationToken = default);
}
