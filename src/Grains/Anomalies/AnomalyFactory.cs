using System.Security.Cryptography;
using System.Text;
using Billing.Insights;

namespace Billing.Grains.Anomalies;

/// <summary>Turns a detector's page into the anomaly operators see.</summary>
public static class AnomalyFactory
{
    /// <summary>
    /// The anomaly of <paramref name="finding"/>. Its id hashes the account, the kind and the window's start minute, so
    /// the same surge found again (a retried evaluation) is the same anomaly.
    /// </summary>
    public static Anomaly From(string scope, DetectorFinding finding, DateTimeOffset detectedAt)
    {
        ArgumentNullException.ThrowIfNull(finding);
        var windowStart = DateTimeOffset.FromUnixTimeSeconds(finding.WindowStart.ToUnixTimeSeconds() / 60 * 60);
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes($"{scope}|{finding.Kind}|{windowStart.ToUnixTimeSeconds()}"));
        return new Anomaly(
            Id: "anm_" + Convert.ToHexStringLower(digest, 0, 12),
            Kind: finding.Kind,
            Scope: scope,
            DetectedAt: detectedAt,
            WindowStart: windowStart,
            Window: finding.Window,
            Observed: finding.Observed, // rate tests too: failures seen, and failures the usual rate expects of the attempts
            Expected: finding.Expected,
            PValue: finding.PValue,
            Test: finding.Test,
            CardTesting: finding.CardTesting,
            SampleEventIds: [.. finding.SampleEventIds]);
    }
}
