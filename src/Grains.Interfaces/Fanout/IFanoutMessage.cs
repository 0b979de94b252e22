namespace Billing.Grains.Fanout;

/// <summary>A message the customer grain fans out; <see cref="Id"/> is stable across redeliveries.</summary>
public interface IFanoutMessage
{
    /// <summary>The message id consumers and receivers deduplicate by.</summary>
    string Id { get; }

    /// <summary>The customer the message is about.</summary>
    string CustomerId { get; }
}
