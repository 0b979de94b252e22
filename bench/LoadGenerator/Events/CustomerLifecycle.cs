namespace Billing.Bench.LoadGenerator.Events;

/// <summary>
/// One customer's subscription history as Stripe would emit it: created (trialing or active), mostly renewals with
/// <c>invoice.paid</c>, some plan changes, failed payments (past_due, then recovered, unpaid or canceled) and now
/// and then a cancellation, after which a new subscription starts. At most one subscription is live at a time and every
/// event has its own <c>created</c> second, so the expected final state follows from the events alone.
/// </summary>
internal sealed class CustomerLifecycle(int customer, long firstCreated)
{
    private readonly Queue<PlannedEvent> _pending = new();
    private SubscriptionPhase _phase = SubscriptionPhase.None;
    private long _clock = firstCreated;
    private int _subscriptions;
    private string _subscriptionId = "";
    private string _priceId = "";
    private bool _trialWarned;

    /// <summary>The customer's next event in <c>created</c> order.</summary>
    public PlannedEvent Next(Random random, Func<string> newEventId)
    {
        if (_pending.Count == 0)
        {
            Advance(random, newEventId);
        }

        return _pending.Dequeue();
    }

    // Plans the next step; some steps are two events (the invoice, then the subscription it changed).
    private void Advance(Random random, Func<string> newEventId)
    {
        var roll = random.NextDouble();
        switch (_phase)
        {
            case SubscriptionPhase.None:
                _subscriptionId = $"sub_{customer}_{++_subscriptions}";
                _priceId = BenchCatalog.PriceIds[random.Next(BenchCatalog.PriceIds.Length)];
                _trialWarned = false;
                Subscription(random, newEventId, "customer.subscription.created", roll < 0.35 ? "trialing" : "active");
                break;
            case SubscriptionPhase.Trialing when !_trialWarned && roll < 0.3:
                _trialWarned = true;
                Subscription(random, newEventId, "customer.subscription.trial_will_end", "trialing");
                break;
            case SubscriptionPhase.Trialing when roll < 0.9:
                Invoice(random, newEventId, "invoice.paid");
                Subscription(random, newEventId, "customer.subscription.updated", "active");
                break;
            case SubscriptionPhase.Active when roll < 0.78:
                // A renewal: the invoice is paid and the period moves on (no status change).
                Invoice(random, newEventId, "invoice.paid");
                Subscription(random, newEventId, "customer.subscription.updated", "active");
                break;
            case SubscriptionPhase.Active when roll < 0.86:
                _priceId = BenchCatalog.PriceIds[(Array.IndexOf(BenchCatalog.PriceIds, _priceId) + 1 + random.Next(2)) % BenchCatalog.PriceIds.Length];
                Subscription(random, newEventId, "customer.subscription.updated", "active");
                break;
            case SubscriptionPhase.Active when roll < 0.97:
                Invoice(random, newEventId, "invoice.payment_failed");
                Subscription(random, newEventId, "customer.subscription.updated", "past_due");
                break;
            case SubscriptionPhase.PastDue when roll < 0.35:
                Invoice(random, newEventId, "invoice.payment_failed");
                break;
            case SubscriptionPhase.PastDue when roll < 0.8:
            case SubscriptionPhase.Unpaid when roll < 0.5:
                Invoice(random, newEventId, "invoice.paid");
                Subscription(random, newEventId, "customer.subscription.updated", "active");
                break;
            case SubscriptionPhase.PastDue when roll < 0.9:
                Subscription(random, newEventId, "customer.subscription.updated", "unpaid");
                break;
            default:
                Subscription(random, newEventId, "customer.subscription.deleted", "canceled");
                break;
        }
    }

    private void Subscription(Random random, Func<string> newEventId, string type, string status)
    {
        var previous = _phase == SubscriptionPhase.None ? null : StatusOf(_phase);
        _pending.Enqueue(new PlannedEvent(newEventId(), customer, type, Tick(random), _subscriptionId, status,
            previous == status ? null : previous, _priceId));
        _phase = status switch
        {
            "trialing" => SubscriptionPhase.Trialing,
            "active" => SubscriptionPhase.Active,
            "past_due" => SubscriptionPhase.PastDue,
            "unpaid" => SubscriptionPhase.Unpaid,
            _ => SubscriptionPhase.None,
        };
    }

    private void Invoice(Random random, Func<string> newEventId, string type) =>
        _pending.Enqueue(new PlannedEvent(newEventId(), customer, type, Tick(random)));

    // Distinct seconds per customer: no two snapshots tie, so previous_attributes never has to decide.
    private long Tick(Random random) => _clock += random.Next(1, 4);

    private static string StatusOf(SubscriptionPhase phase) => phase switch
    {
        SubscriptionPhase.Trialing => "trialing",
        SubscriptionPhase.Active => "active",
        SubscriptionPhase.PastDue => "past_due",
        SubscriptionPhase.Unpaid => "unpaid",
        _ => "canceled",
    };
}
