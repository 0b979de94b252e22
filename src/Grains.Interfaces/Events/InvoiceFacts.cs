namespace Billing.Grains.Events;

/// <summary>What dunning and a mailer need from an invoice; never card or address data.</summary>
/// <param name="Id">The invoice id, when it has one (upcoming invoices do not).</param>
/// <param name="SubscriptionId">The subscription it bills, when any.</param>
/// <param name="AmountDue">Amount due, in the currency's smallest unit.</param>
/// <param name="Currency">ISO currency code, lower case as Stripe writes it.</param>
/// <param name="HostedInvoiceUrl">Stripe's hosted invoice page, where Stripe gave one.</param>
/// <param name="AttemptCount"><c>attempt_count</c>: how many times payment was attempted.</param>
/// <param name="FinalAttempt">
/// <c>next_payment_attempt</c> is null: Stripe will not retry (true); one is scheduled (false); not in the payload (null).
/// </param>
[GenerateSerializer]
[Immutable]
[Alias("billing.InvoiceFacts")]
public sealed record InvoiceFacts(
    [property: Id(0)] string? Id,
    [property: Id(1)] string? SubscriptionId,
    [property: Id(2)] long? AmountDue,
    [property: Id(3)] string? Currency,
    [property: Id(4)] string? HostedInvoiceUrl,
    [property: Id(5)] int? AttemptCount = null,
    [property: Id(6)] bool? FinalAttempt = null);
