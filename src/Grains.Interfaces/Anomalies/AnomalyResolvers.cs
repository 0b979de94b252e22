namespace Billing.Grains.Anomalies;

/// <summary>Who resolved an anomaly (<see cref="Anomaly.ResolvedBy"/>).</summary>
public static class AnomalyResolvers
{
    /// <summary>An operator, in the console or through the admin API.</summary>
    public const string Operator = "operator";

    /// <summary>
    /// The detector, <c>Billing:Anomalies:AutoResolveAfter</c> after detection: the account's baseline must not stay
    /// frozen for ever when nobody resolves it; a surge still going on pages again.
    /// </summary>
    public const string Expired = "expired";
}
