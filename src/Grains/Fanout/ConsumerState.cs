namespace Billing.Grains.Fanout;

/// <summary>A consumer's memory of the messages it has handled (id → when, Unix seconds), pruned after 30 days.</summary>
public sealed class ConsumerState
{
    /// <summary>Handled message ids.</summary>
    public Dictionary<string, long> Handled { get; set; } = new(StringComparer.Ordinal);
}
