using System.Diagnostics;

namespace Billing.Journal;

/// <summary>
/// The <c>billing.journal.append</c> span around one customer's append, on Billing's activity source: a child of the
/// caller's span (the customer grain's call, in the webhook's trace), from the queueing for a group commit to its outcome.
/// </summary>
internal static class JournalTracing
{
    /// <summary>Billing's activity source (the same name as the hosts' <c>BillingTelemetry</c>).</summary>
    public const string SourceName = "Billing";

    /// <summary>The span of one append.</summary>
    public const string AppendSpan = "billing.journal.append";

    private static readonly ActivitySource Source = new(SourceName);

    /// <summary>Starts the span of <paramref name="append"/>; null when nothing listens.</summary>
    public static Activity? StartAppend(JournalAppend append)
    {
        var activity = Source.StartActivity(AppendSpan, ActivityKind.Internal);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("billing.customer.id", append.CustomerId);
            activity.SetTag("billing.journal.entries", append.Entries.Count);
            activity.SetTag("billing.journal.version", append.Head.Version);
        }

        return activity;
    }

    /// <summary>Records how the append ended (an outcome other than appended is an error of the span).</summary>
    public static void Ended(Activity? activity, AppendOutcome outcome)
    {
        if (activity is null)
        {
            return;
        }

        var name = AppendOutcomeName(outcome);
        activity.SetTag("billing.journal.append.outcome", name);
        if (outcome != AppendOutcome.Appended)
        {
            activity.SetStatus(ActivityStatusCode.Error, name);
        }
    }

    private static string AppendOutcomeName(AppendOutcome outcome) => outcome switch
    {
        AppendOutcome.Appended => "appended",
        AppendOutcome.Conflict => "conflict",
        AppendOutcome.DuplicateEvent => "duplicate_event",
        AppendOutcome.Failed => "failed",
        _ => "unknown",
    };
}
