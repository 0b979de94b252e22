namespace Billing.Grains.Journal;

/// <summary>Where a journal entry came from (the history API's <c>source</c>).</summary>
[GenerateSerializer]
[Alias("billing.JournalSource")]
public enum JournalSource
{
    /// <summary>A Stripe webhook.</summary>
    Webhook = 0,

    /// <summary>A durable timer, e.g. the grace period running out.</summary>
    Timer = 1,

    /// <summary>An event read from Stripe's Events API (backfill, poll).</summary>
    EventsApi = 2,

    /// <summary>An object imported from Stripe's API.</summary>
    Import = 3,

    /// <summary>A repair by reconciliation with Stripe's objects.</summary>
    Reconcile = 4,

    /// <summary>An operator re-applying a stored event.</summary>
    Replay = 5,

    /// <summary>The state a customer had when the journal replaced the state rows of earlier versions.</summary>
    Migration = 6,
}
