namespace Billing.Journal;

/// <summary>A consumer (<c>fulfillment</c> or <c>notifications</c>) whose stored cursor is behind its customer's journal.</summary>
public readonly record struct LaggingConsumer(string Consumer, string CustomerId);
