namespace Billing.Grains;

/// <summary>The <c>Billing:Outbox</c> configuration section.</summary>
public sealed class OutboxOptions
{
    /// <summary>
    /// How often unacknowledged fan-out messages are published again (a durable reminder's period, so also how
    /// long a message lost with a crashed silo may take to arrive).
    /// </summary>
    public TimeSpan RedeliveryInterval { get; init; } = TimeSpan.FromMinutes(1);
}
