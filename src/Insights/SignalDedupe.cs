using Billing.Insights.State;

namespace Billing.Insights;

/// <summary>
/// Counts each event once (by event id) and each payment once per class (by payment key: see
/// <see cref="StripeSignalReader"/> for the rule). Classes: f(ailure), s(uccess), r(efund), d(ispute or fraud warning).
/// </summary>
internal sealed class SignalDedupe(DetectorState state, DetectionOptions options)
{
    // A fallback key (an invoice without a charge) is ignored while the account received precise keys this recently.
    private const long PreciseKeyMemoryMinutes = 7 * 24 * 60;

    private readonly KeyMemory _keys = new(state.SeenKeys, options.MaxRememberedKeys);

    /// <summary>
    /// False for an event already counted, and for one created more than the dedupe horizon before the newest
    /// known time: its id may have been forgotten, so it could not be told from a replay.
    /// </summary>
    public bool IsNewEvent(SignalObservation o, long minute) =>
        minute > state.NewestMinute - (long)options.DedupeHorizon.TotalMinutes && _keys.Add("evt:" + o.EventId, minute / 60);

    /// <summary>Forgets what is older than the dedupe horizon.</summary>
    public void Prune() => _keys.ForgetBefore((state.NewestMinute - (long)options.DedupeHorizon.TotalMinutes) / 60);

    public bool IsNewPayment(SignalObservation o, long minute)
    {
        if (o.PaymentKey is null)
        {
            return true;
        }

        var keyClass = o.Kind switch
        {
            SignalKind.PaymentFailed => "f",
            SignalKind.PaymentSucceeded => "s",
            SignalKind.Refund => "r",
            _ => "d",
        };
        var precise = state.PreciseKeySeenMinute;
        if (o.FallbackKey)
        {
            if (precise.TryGetValue(keyClass, out var seen) && minute - seen <= PreciseKeyMemoryMinutes)
            {
                return false;
            }
        }
        else
        {
            precise[keyClass] = Math.Max(precise.GetValueOrDefault(keyClass), minute);
        }

        return _keys.Add(keyClass + ":" + o.PaymentKey, minute / 60);
    }
}
