using Billing.Grains.Journal;

namespace Billing.Grains.Customers;

/// <summary>An entry folded by the ledger, not yet known to be stored, and what consumers need to see gaps.</summary>
/// <param name="Entry">The journal entry.</param>
/// <param name="PreviousFulfillment">The version of the customer's previous entry for the fulfillment consumer (0 if none).</param>
/// <param name="PreviousNotification">The version of the customer's previous entry for the notification consumer (0 if none).</param>
public sealed record AppliedEntry(JournalEntry Entry, long PreviousFulfillment, long PreviousNotification);
