using System.Diagnostics;

namespace Billing.Grains.Fanout;

/// <summary>
/// The consumers' <c>billing.fanout.deliver</c> spans, on Billing's activity source. A first delivery (the item as
/// published) is a child of the span that published it, so the outbound POST (and its in-call retries, HttpClient's
/// spans under this one) belong to the webhook's trace. A redelivery or a gap filled from the journal runs under
/// whatever caused it (the sweeper's poke, a later item) and is linked, not parented, to the original trace when
/// this activation saw the item: a trace then never spans minutes of backoff, yet the retry can be found from it.
/// </summary>
internal static class FanoutTracing
{
    /// <summary>Billing's activity source (the same name as the hosts' <c>BillingTelemetry</c>).</summary>
    public const string SourceName = "Billing";

    /// <summary>The span of one journal entry's delivery by one consumer.</summary>
    public const string DeliverSpan = "billing.fanout.deliver";

    private static readonly ActivitySource Source = new(SourceName);

    /// <summary>The trace context in <paramref name="traceParent"/>, or null when there is none (or it is not W3C).</summary>
    public static ActivityContext? Parse(string? traceParent) =>
        traceParent is not null && ActivityContext.TryParse(traceParent, null, isRemote: true, out var context) ? context : null;

    /// <summary>
    /// Starts the span of an entry's delivery: a child of <paramref name="origin"/> on a first delivery, under the current
    /// span and linked to <paramref name="origin"/> on a redelivery.
    /// </summary>
    public static Activity? StartDeliver(string consumer, string customerId, long version, ActivityContext? origin, bool redelivery)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var activity = redelivery || origin is null
            ? Source.StartActivity(DeliverSpan, ActivityKind.Consumer, parentContext: default,
                links: origin is { } linked ? [new ActivityLink(linked)] : null)
            : Source.StartActivity(DeliverSpan, ActivityKind.Consumer, origin.Value);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("messaging.system", "orleans");
            activity.SetTag("messaging.destination.name", consumer);
            activity.SetTag("billing.customer.id", customerId);
            activity.SetTag("billing.journal.version", version);
            activity.SetTag("billing.fanout.redelivery", redelivery);
        }

        return activity;
    }
}
