namespace Billing.Grains.Anomalies;

/// <summary>The states as admin JSON, the console and the store spell them.</summary>
public static class AnomalyStateNames
{
    /// <summary><c>open</c>, <c>acknowledged</c> or <c>resolved</c>.</summary>
    public static string NameOf(AnomalyState state) => state switch
    {
        AnomalyState.Open => "open",
        AnomalyState.Acknowledged => "acknowledged",
        _ => "resolved",
    };

    /// <summary>The state named <paramref name="name"/>, or null for another name.</summary>
    public static AnomalyState? Parse(string? name) => name switch
    {
        "open" => AnomalyState.Open,
        "acknowledged" => AnomalyState.Acknowledged,
        "resolved" => AnomalyState.Resolved,
        _ => null,
    };
}
