namespace Billing.Grains.Journal;

/// <summary>
/// One row of a customer's journal: an event applied (or a timer transition, an import, ...), in the order it was
/// applied. The journal is the customer's source of truth; the state is a fold over it.
/// </summary>
/// <param name="CustomerId">The customer key (<c>cus_…</c> or <c>acct_…/cus_…</c>).</param>
/// <param name="Version">The entry's place in the customer's journal: 1, 2, 3, ... without gaps.</param>
/// <param name="EventId">Stripe's event id, or an id of Billing's own for timer transitions and imports.</param>
/// <param name="Type">Stripe's event type, or <c>billing.grace_expired</c>, <c>billing.migrated</c>, ...</param>
/// <param name="Source">Where it came from.</param>
/// <param name="Created">Stripe's <c>created</c> for Stripe events; when it was due for timer transitions.</param>
/// <param name="RecordedAt">When Billing applied it: the fold's clock, and the history's time axis.</param>
/// <param name="Facts">
/// What the fold read (JSON, the customer grain's schema): never names, emails, addresses, phones or card data.
/// Empty where the reader did not ask for it.
/// </param>
/// <param name="Effects">What applying it decided.</param>
[GenerateSerializer]
[Immutable]
[Alias("billing.JournalEntry")]
public sealed record JournalEntry(
    [property: Id(0)] string CustomerId,
    [property: Id(1)] long Version,
    [property: Id(2)] string EventId,
    [property: Id(3)] string Type,
    [property: Id(4)] JournalSource Source,
    [property: Id(5)] DateTimeOffset? Created,
    [property: Id(6)] DateTimeOffset RecordedAt,
    [property: Id(7)] string Facts,
    [property: Id(8)] JournalEffects Effects);
