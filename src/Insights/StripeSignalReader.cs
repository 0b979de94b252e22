using System.Collections.Frozen;
using System.Text.Json;

namespace Billing.Insights;

/// <summary>
/// Reads the signal (if any) out of a verified Stripe event, of any API version, with System.Text.Json only.
/// <para>
/// The payment key rule: one failure (or success, refund, dispute) is announced by several events, so each signal
/// carries the id of the thing itself, the same in every event that announces it, and the detector counts each key
/// once per class. Failures and successes: the <b>charge id</b> (the charge event's own id; a payment intent's
/// <c>last_payment_error.charge</c>, <c>latest_charge</c> or first <c>charges.data</c>; an invoice's <c>charge</c>,
/// before API 2025-03-31); card setups: the setup attempt (<c>latest_attempt</c>). Refunds: the <b>refund id</b>
/// (<c>refund.created</c>'s own; <c>charge.refunded</c>'s newest <c>refunds.data</c>). Disputes and early fraud
/// warnings: the <b>disputed charge</b>, so a warning and the dispute that follows it count once.
/// </para>
/// <para>
/// Where an event names none of those (newer invoices, a payment intent that failed before any charge, a charge
/// whose refunds list is not included) the key is a coarser stand-in (<c>pi_…</c>, <c>in_…#attempt</c>,
/// <c>ch_…#amount_refunded</c>) marked <see cref="SignalObservation.FallbackKey"/>: the detector counts it only
/// for accounts that have not sent precise keys of that class in the last 7 days, i.e. whose endpoint receives
/// invoice events but not charge events.
/// </para>
/// </summary>
public static class StripeSignalReader
{
    /// <summary>The account of events that name no connected account.</summary>
    public const string Platform = "platform";

    private static readonly FrozenSet<string> Types = FrozenSet.ToFrozenSet(
    [
        "charge.failed", "charge.succeeded", "payment_intent.payment_failed", "payment_intent.succeeded", "invoice.payment_failed",
        "invoice.paid", "invoice.payment_succeeded", "setup_intent.setup_failed", "setup_intent.succeeded", "charge.refunded",
        "refund.created", "charge.dispute.created", "radar.early_fraud_warning.created",
    ], StringComparer.Ordinal);

    /// <summary>Whether events of <paramref name="type"/> can carry a signal: a host skips reading any other event again.</summary>
    public static bool Reads(string? type) => type is not null && Types.Contains(type);

    /// <summary>Reads a webhook body; null when it is not JSON, not an event, or carries no signal.</summary>
    public static SignalObservation? Read(ReadOnlyMemory<byte> body, string? account = null)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return Read(document.RootElement, account);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// Reads one parsed event; <paramref name="account"/> is used when the event names no <c>account</c> itself
    /// (an event read from a connected account's Events API).
    /// </summary>
    public static SignalObservation? Read(JsonElement root, string? account = null)
    {
        if (root.ValueKind != JsonValueKind.Object || Text(root, "id") is not { Length: > 0 } id ||
            Text(root, "type") is not { } type || Number(root, "created") is not { } created ||
            !root.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object ||
            !data.TryGetProperty("object", out var o) || o.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var scope = Text(root, "account") is { Length: > 0 } connected ? connected : account is { Length: > 0 } ? account : Platform;
        var at = DateTimeOffset.FromUnixTimeSeconds(created);
        var signal = new SignalObservation(id, scope, SignalKind.PaymentFailed, at, null, Currency: Text(o, "currency"));
        return type switch
        {
            "charge.failed" => signal with { PaymentKey = Text(o, "id"), AmountMinor = Number(o, "amount"), DeclineCode = ChargeCode(o) },
            "charge.succeeded" => signal with { Kind = SignalKind.PaymentSucceeded, PaymentKey = Text(o, "id"), AmountMinor = Number(o, "amount") },
            "payment_intent.payment_failed" => PaymentIntent(signal, o),
            "payment_intent.succeeded" => PaymentIntent(signal with { Kind = SignalKind.PaymentSucceeded }, o),
            "invoice.payment_failed" => Invoice(signal, o, Number(o, "amount_due")),
            "invoice.paid" or "invoice.payment_succeeded" => PaidInvoice(signal with { Kind = SignalKind.PaymentSucceeded }, o),
            "setup_intent.setup_failed" => SetupIntent(signal, o),
            "setup_intent.succeeded" => SetupIntent(signal with { Kind = SignalKind.PaymentSucceeded }, o),
            "charge.refunded" => ChargeRefunded(signal with { Kind = SignalKind.Refund }, o),
            "refund.created" => signal with { Kind = SignalKind.Refund, PaymentKey = Text(o, "id"), AmountMinor = Number(o, "amount") },
            "charge.dispute.created" => Disputed(signal with { Kind = SignalKind.Dispute }, o),
            "radar.early_fraud_warning.created" => Disputed(signal with { Kind = SignalKind.EarlyFraudWarning }, o),
            _ => null,
        };
    }

    private static SignalObservation PaymentIntent(SignalObservation signal, JsonElement pi)
    {
        var error = Object(pi, "last_payment_error");
        var charge = (error is { } e ? IdOf(e, "charge") : null) ?? IdOf(pi, "latest_charge") ?? FirstListId(pi, "charges");
        var amount = signal.Kind == SignalKind.PaymentSucceeded ? Number(pi, "amount_received") ?? Number(pi, "amount") : Number(pi, "amount");
        return signal with
        {
            PaymentKey = charge ?? Text(pi, "id"),
            FallbackKey = charge is null,
            AmountMinor = amount,
            DeclineCode = error is { } err ? Text(err, "decline_code") ?? Text(err, "code") : null,
        };
    }

    private static SignalObservation Invoice(SignalObservation signal, JsonElement invoice, long? amount)
    {
        // Before API 2025-03-31 an invoice names its charge and payment intent; after, neither (only `payments`,
        // which webhooks do not include): then the invoice and its attempt number stand in.
        var charge = IdOf(invoice, "charge");
        var key = charge ?? IdOf(invoice, "payment_intent") ?? $"{Text(invoice, "id")}#{Number(invoice, "attempt_count") ?? 0}";
        return signal with { PaymentKey = key, FallbackKey = charge is null, AmountMinor = amount };
    }

    private static SignalObservation? PaidInvoice(SignalObservation signal, JsonElement invoice)
    {
        // Paid out of band, or nothing to pay (a zero invoice, a trial): no payment was attempted.
        return Number(invoice, "amount_paid") is not > 0 || invoice.TryGetProperty("paid_out_of_band", out var oob) &&
            oob.ValueKind == JsonValueKind.True
            ? null
            : Invoice(signal, invoice, Number(invoice, "amount_paid"));
    }

    private static SignalObservation SetupIntent(SignalObservation signal, JsonElement seti)
    {
        var error = Object(seti, "last_setup_error");
        var attempt = IdOf(seti, "latest_attempt");
        return signal with
        {
            SetupIntent = true,
            Currency = null,
            PaymentKey = attempt ?? $"{Text(seti, "id")}#{signal.At.ToUnixTimeSeconds()}",
            DeclineCode = error is { } e ? Text(e, "decline_code") ?? Text(e, "code") : null,
        };
    }

    private static SignalObservation ChargeRefunded(SignalObservation signal, JsonElement charge)
    {
        JsonElement? newest = null;
        if (Object(charge, "refunds") is { } refunds && refunds.TryGetProperty("data", out var list) &&
            list.ValueKind == JsonValueKind.Array)
        {
            foreach (var refund in list.EnumerateArray())
            {
                if (refund.ValueKind == JsonValueKind.Object &&
                    (newest is null || (Number(refund, "created") ?? 0) > (Number(newest.Value, "created") ?? 0)))
                {
                    newest = refund;
                }
            }
        }

        return newest is { } r && Text(r, "id") is { } refundId
            ? signal with { PaymentKey = refundId, AmountMinor = Number(r, "amount") }
            : signal with
            {
                PaymentKey = $"{Text(charge, "id")}#{Number(charge, "amount_refunded")}",
                FallbackKey = true,
                AmountMinor = Number(charge, "amount_refunded"),
            };
    }

    private static SignalObservation Disputed(SignalObservation signal, JsonElement o) =>
        signal with { PaymentKey = IdOf(o, "charge") ?? Text(o, "id"), AmountMinor = Number(o, "amount") };

    private static string? ChargeCode(JsonElement charge) =>
        (Object(charge, "outcome") is { } outcome ? Text(outcome, "reason") : null) ?? Text(charge, "failure_code");

    // An id field that may be a string or, when expanded, an object with an id.
    private static string? IdOf(JsonElement o, string name) =>
        !o.TryGetProperty(name, out var value) ? null
        : value.ValueKind == JsonValueKind.String ? NonEmpty(value.GetString())
        : value.ValueKind == JsonValueKind.Object ? Text(value, "id")
        : null;

    private static string? FirstListId(JsonElement o, string name) =>
        Object(o, name) is { } list && list.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Array &&
        data.GetArrayLength() > 0 && data[0].ValueKind == JsonValueKind.Object
            ? Text(data[0], "id")
            : null;

    private static JsonElement? Object(JsonElement o, string name) =>
        o.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object ? value : null;

    private static string? Text(JsonElement o, string name) =>
        o.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? NonEmpty(value.GetString()) : null;

    private static long? Number(JsonElement o, string name) =>
        o.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n) ? n : null;

    private static string? NonEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;
}
