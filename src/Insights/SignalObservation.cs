namespace Billing.Insights;

/// <summary>
/// One signal read from one Stripe event: what happened, to which account, when, and the key that identifies the
/// payment it is about. Holds no personal data (no customer, e-mail, name or card details).
/// </summary>
/// <param name="EventId">The Stripe event id (<c>evt_…</c>): repeated deliveries are counted once.</param>
/// <param name="Account">The connected account (<c>acct_…</c>), or <see cref="StripeSignalReader.Platform"/>.</param>
/// <param name="Kind">What happened.</param>
/// <param name="At">When Stripe created the event.</param>
/// <param name="PaymentKey">
/// What the signal is about, shared by every event that announces the same thing (see <see cref="StripeSignalReader"/>
/// for the rule): one failed charge announced by <c>charge.failed</c>, <c>payment_intent.payment_failed</c> and
/// <c>invoice.payment_failed</c> carries one key in all three, so it is counted once.
/// </param>
/// <param name="AmountMinor">The amount in minor units, where the event gives one.</param>
/// <param name="Currency">The ISO currency (lower case), where the event gives one.</param>
/// <param name="SetupIntent">True for card-setup attempts (SetupIntents): card testers favour them.</param>
/// <param name="DeclineCode">Stripe's decline or error code of a failure (e.g. <c>incorrect_cvc</c>).</param>
/// <param name="FallbackKey">
/// True when the event names no charge or refund, so <paramref name="PaymentKey"/> is a coarser stand-in (an
/// invoice and its attempt number): such signals are counted only for accounts that receive no finer events.
/// </param>
[GenerateSerializer]
[Immutable]
[Alias("billing.SignalObservation")]
public sealed record SignalObservation(
    [property: Id(0)] string EventId,
    [property: Id(1)] string Account,
    [property: Id(2)] SignalKind Kind,
    [property: Id(3)] DateTimeOffset At,
    [property: Id(4)] string? PaymentKey,
    [property: Id(5)] long? AmountMinor = null,
    [property: Id(6)] string? Currency = null,
    [property: Id(7)] bool SetupIntent = false,
    [property: Id(8)] string? DeclineCode = null,
    [property: Id(9)] bool FallbackKey = false);
