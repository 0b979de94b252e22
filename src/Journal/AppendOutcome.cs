namespace Billing.Journal;

/// <summary>What became of one customer's append in a group commit.</summary>
public enum AppendOutcome
{
    /// <summary>Committed: every entry is durable and the head is at the new version.</summary>
    Appended = 0,

    /// <summary>
    /// The head was not at the expected version (another activation of the customer appended first, e.g. during a
    /// silo handover): nothing of this append was written. Reload and retry.
    /// </summary>
    Conflict = 1,

    /// <summary>An event id of this append is already in the customer's journal: nothing was written.</summary>
    DuplicateEvent = 2,

    /// <summary>The commit failed for certain (the database refused or could not be reached): nothing was written.</summary>
    Failed = 3,

    /// <summary>
    /// The connection broke or timed out during the commit: it may or may not have committed. Reload before
    /// answering anything about these events.
    /// </summary>
    Unknown = 4,
}
