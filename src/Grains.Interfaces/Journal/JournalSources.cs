namespace Billing.Grains.Journal;

/// <summary>The names of <see cref="JournalSource"/> in the database, the history API and admin JSON.</summary>
public static class JournalSources
{
    /// <summary>The wire name of <paramref name="source"/>.</summary>
    public static string NameOf(JournalSource source) => source switch
    {
        JournalSource.Webhook => "webhook",
        JournalSource.Timer => "timer",
        JournalSource.EventsApi => "events_api",
        JournalSource.Import => "import",
        JournalSource.Reconcile => "reconcile",
        JournalSource.Replay => "replay",
        JournalSource.Migration => "migration",
        _ => throw new ArgumentOutOfRangeException(nameof(source), source, null),
    };

    /// <summary>The source named <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">Not a source name.</exception>
    public static JournalSource Parse(string name) => name switch
    {
        "webhook" => JournalSource.Webhook,
        "timer" => JournalSource.Timer,
        "events_api" => JournalSource.EventsApi,
        "import" => JournalSource.Import,
        "reconcile" => JournalSource.Reconcile,
        "replay" => JournalSource.Replay,
        "migration" => JournalSource.Migration,
        _ => throw new ArgumentException($"unknown journal source '{name}'", nameof(name)),
    };
}
