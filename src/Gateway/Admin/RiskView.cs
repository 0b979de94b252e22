using Billing.Grains.Risk;

namespace Billing.Gateway.Admin;

/// <summary>
/// A customer's churn risk as admin JSON: <c>{"score", "band", "cancelling", "heuristic": true, "reasons": [...]}</c>.
/// <c>heuristic</c> is always true: the score adds fixed points per warning sign, it predicts nothing.
/// </summary>
public sealed record RiskView(int Score, string Band, bool Cancelling, bool Heuristic, IReadOnlyList<RiskReasonView> Reasons)
{
    /// <summary>The view of <paramref name="assessment"/> (none: score 0, band <c>none</c>).</summary>
    public static RiskView From(RiskAssessment? assessment)
    {
        var risk = assessment ?? RiskAssessment.None;
        return new RiskView(risk.Score, BandName(risk.Band), risk.Cancelling, Heuristic: true,
            [.. risk.Reasons.Select(r => new RiskReasonView(r.Code, r.Points, r.Detail))]);
    }

    /// <summary><c>none</c>, <c>low</c>, <c>medium</c> or <c>high</c>.</summary>
    public static string BandName(RiskBand band) => band.ToString().ToLowerInvariant();
}

/// <summary>One reason of a <see cref="RiskView"/>: <c>{"code", "points", "detail"}</c>.</summary>
public sealed record RiskReasonView(string Code, int Points, string Detail);
