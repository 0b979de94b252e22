using System.ComponentModel.DataAnnotations;

namespace Billing.Journal;

/// <summary>The <c>Billing:Journal</c> configuration section.</summary>
public sealed class JournalOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Billing:Journal";

    /// <summary>
    /// How long an applied event id is recognised as a duplicate (the contract's 30 days; Stripe retries for 3). The
    /// journal keeps at least this much, whatever <see cref="Retention"/> says.
    /// </summary>
    public static readonly TimeSpan DedupeWindow = TimeSpan.FromDays(30);

    /// <summary>How long the history of applied events is kept (never less than <see cref="DedupeWindow"/>).</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(400);

    /// <summary>
    /// Development and benchmarks only: keep the journal in the silo's memory (and snapshots with it), losing it when
    /// the silo stops. Without <c>ConnectionStrings:Billing</c> this is what happens anyway.
    /// </summary>
    public bool InMemory { get; set; }

    /// <summary>The most journal rows one group commit carries.</summary>
    [Range(1, 10_000)]
    public int MaxBatchRows { get; set; } = 512;

    /// <summary>The most bytes (facts and effects) one group commit carries.</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public int MaxBatchBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// How long one group commit may take before its outcome counts as unknown; below the silo's 5 s response
    /// timeout, so that the grain answers (503) before its caller gives up on it.
    /// </summary>
    public TimeSpan CommitTimeout { get; set; } = TimeSpan.FromSeconds(4);

    /// <summary>A customer's state is snapshotted every this many journal entries (and when its grain deactivates).</summary>
    [Range(1, 1_000_000)]
    public int SnapshotEvery { get; set; } = 100;

    /// <summary>How often the sweeper looks for due grace periods and lagging consumers.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a customer's journal must have been quiet before a consumer behind it counts as lagging.</summary>
    public TimeSpan LagAfter { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often history older than <see cref="Retention"/> is pruned.</summary>
    public TimeSpan PruneInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The most customers one pruning run goes through (it continues where it stopped next time).</summary>
    [Range(1, 10_000_000)]
    public int PruneCustomersPerRun { get; set; } = 20_000;

    /// <summary>What <see cref="Retention"/> means in practice: never less than the dedupe window.</summary>
    public TimeSpan EffectiveRetention => Retention < DedupeWindow ? DedupeWindow : Retention;

    /// <summary>Checks the options at start-up; returns what is wrong, or nothing.</summary>
    public IEnumerable<string> Validate()
    {
        if (Retention < DedupeWindow)
        {
            yield return $"Billing:Journal:Retention must be at least the 30-day dedupe window (30.00:00:00); it is {Retention}.";
        }

        if (CommitTimeout < TimeSpan.FromMilliseconds(100) || CommitTimeout > TimeSpan.FromMinutes(1))
        {
            yield return "Billing:Journal:CommitTimeout must be between 00:00:00.1 and 00:01:00.";
        }

        if (SweepInterval < TimeSpan.FromMilliseconds(100) || LagAfter < TimeSpan.Zero || PruneInterval < TimeSpan.FromSeconds(1))
        {
            yield return "Billing:Journal:SweepInterval must be at least 00:00:00.1, LagAfter not negative, PruneInterval at least 00:00:01.";
        }
    }
}
