namespace Billing.Insights;

/// <summary>The <c>kind</c> values of CONTRACT.md's anomalies: one detector signal each.</summary>
public static class AnomalyKinds
{
    /// <summary>Failed payment and card-setup attempts (count or failure rate).</summary>
    public const string PaymentFailures = "payment_failures";

    /// <summary>Refunds.</summary>
    public const string Refunds = "refunds";

    /// <summary>Disputes and early fraud warnings.</summary>
    public const string Disputes = "disputes";

    /// <summary>Every kind, in a fixed order.</summary>
    public static IReadOnlyList<string> All { get; } = [PaymentFailures, Refunds, Disputes];

    /// <summary>True for one of the three kinds.</summary>
    public static bool IsKnown(string kind) => kind is PaymentFailures or Refunds or Disputes;
}
