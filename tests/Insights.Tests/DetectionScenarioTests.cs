using System.Text.Json;
using Billing.Insights.Tests.Generation;
using Xunit.Abstractions;

namespace Billing.Insights.Tests;

/// <summary>The surges an operator must hear about, and the busy days they must not, on generated event streams.</summary>
public sealed class DetectionScenarioTests(ITestOutputHelper output)
{
    private static readonly DetectionOptions Options = new();
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    [Fact]
    public void Card_testing_burst_on_a_connected_account_pages_within_its_window()
    {
        var traffic = new TrafficGenerator(new AccountProfile("acct_shop", 12, 0.05, 0.2, 0.002), seed: 11);
        var detector = new AccountDetector(Options);
        var burstStart = Replay.Start.AddDays(14).AddHours(15);
        var history = Replay.Quiet(traffic, Replay.Start, 14 * 24 + 17);
        Assert.DoesNotContain(Replay.Run(detector, history.Where(e => e.At < burstStart), Replay.Start, burstStart, TimeSpan.FromMinutes(15)),
            f => f.Severity == FindingSeverity.Page);

        // 200 probes in 10 minutes over the account's ordinary traffic.
        var burst = Enumerable.Range(0, 200).Select(i => traffic.Probe(burstStart.AddSeconds(i * 3))).ToList();
        var findings = Replay.Run(detector, history.Where(e => e.At >= burstStart).Concat(burst), burstStart,
            burstStart.AddHours(2), Minute);

        var page = Assert.Single(findings, f => f.Severity == FindingSeverity.Page);
        output.WriteLine($"paged at +{(page.WindowEnd - burstStart).TotalMinutes} min: {page}");
        Assert.Equal(AnomalyKinds.PaymentFailures, page.Kind);
        Assert.Equal("rate", page.Test);
        Assert.True(page.CardTesting);
        Assert.True(page.WindowEnd - burstStart <= Options.FailureShortWindow, "paged after its 15-minute window");
        Assert.True(page.Observed >= 10 && page.Observed > 3 * page.Expected);
        Assert.InRange(page.SampleEventIds.Count, 1, 10);
        Assert.True(detector.IsOpen(AnomalyKinds.PaymentFailures));
    }

    [Fact]
    public void Month_end_renewal_surge_with_a_normal_failure_rate_does_not_page()
    {
        var traffic = new TrafficGenerator(new AccountProfile("acct_saas", 8, 0.06, 0.1, 0.001), seed: 12);
        var detector = new AccountDetector(Options);
        var renewals = Replay.Start.AddDays(30);
        var events = Replay.Quiet(traffic, Replay.Start, 30 * 24);

        // Renewal day: ten times the volume for 12 hours, failing at the usual rate.
        events.AddRange(Replay.Quiet(traffic, renewals, 12, volume: 10));
        var findings = Replay.Run(detector, events, Replay.Start, renewals.AddHours(12), TimeSpan.FromMinutes(5));

        var renewalAttempts = events.Count(e => e.At >= renewals && e.Kind is SignalKind.PaymentFailed or SignalKind.PaymentSucceeded);
        output.WriteLine($"{renewalAttempts} attempts in the 12 renewal hours; findings: {string.Join("; ", findings)}");
        Assert.True(renewalAttempts > 500, "the surge was not generated");
        Assert.DoesNotContain(findings, f => f.Severity == FindingSeverity.Page);
    }

    [Fact]
    public void Refund_surge_pages_once()
    {
        var traffic = new TrafficGenerator(new AccountProfile("acct_refunds", 10, 0.05, 0.5, 0.002), seed: 13);
        var detector = new AccountDetector(Options);
        var surge = Replay.Start.AddDays(10).AddHours(11);
        var events = Replay.Quiet(traffic, Replay.Start, 10 * 24 + 14);
        events.AddRange(Enumerable.Range(0, 40).Select(i => traffic.Event(SignalKind.Refund, surge.AddSeconds(i * 45), "re_")));

        var findings = Replay.Run(detector, events, Replay.Start, surge.AddHours(3), TimeSpan.FromMinutes(5));

        var page = Assert.Single(findings, f => f.Severity == FindingSeverity.Page);
        output.WriteLine(page.ToString());
        Assert.Equal(AnomalyKinds.Refunds, page.Kind);
        Assert.InRange(page.WindowEnd, surge, surge.AddMinutes(35));
    }

    [Fact]
    public void Three_disputes_in_a_day_page_and_one_does_not()
    {
        foreach (var (disputes, pages) in new[] { (1, false), (3, true) })
        {
            var traffic = new TrafficGenerator(new AccountProfile($"acct_disputes{disputes}", 6, 0.05, 0.1, 0.001), seed: 14);
            var detector = new AccountDetector(Options);
            // An established account: a month of ordinary traffic, then the disputes within one day.
            var first = Replay.Start.AddDays(30).AddHours(10);
            var events = Replay.Quiet(traffic, Replay.Start, 31 * 24);
            events.AddRange(Enumerable.Range(0, disputes).Select(i => traffic.Event(SignalKind.Dispute, first.AddHours(i * 5), "ch_")));

            var findings = Replay.Run(detector, events, Replay.Start, Replay.Start.AddDays(31), TimeSpan.FromMinutes(15));

            output.WriteLine($"{disputes} dispute(s): {string.Join("; ", findings.Where(f => f.Kind == AnomalyKinds.Disputes))}");
            Assert.Equal(pages, findings.Any(f => f.Kind == AnomalyKinds.Disputes && f.Severity == FindingSeverity.Page));
        }
    }

    [Fact]
    public void An_early_fraud_warning_and_the_dispute_on_the_same_charge_count_once()
    {
        var detector = new AccountDetector(Options);
        var at = Replay.Start.AddDays(2);
        detector.Observe(Enumerable.Range(0, 2).SelectMany(i => new[]
        {
            new SignalObservation($"evt_w{i}", "acct_x", SignalKind.EarlyFraudWarning, at.AddHours(i), $"ch_{i}"),
            new SignalObservation($"evt_d{i}", "acct_x", SignalKind.Dispute, at.AddHours(i).AddMinutes(30), $"ch_{i}"),
        }));

        Assert.DoesNotContain(detector.Evaluate(at.AddHours(3)), f => f.Severity == FindingSeverity.Page);
        Assert.Equal(2, detector.DisputeRatio.Disputes);
    }

    [Fact]
    public void Baseline_does_not_learn_from_an_open_anomaly()
    {
        var traffic = new TrafficGenerator(new AccountProfile("acct_frozen", 12, 0.05, 0.3, 0.002), seed: 15);
        var detector = new AccountDetector(Options);
        var burstStart = Replay.Start.AddDays(8).AddHours(9);
        Replay.Run(detector, Replay.Quiet(traffic, Replay.Start, 8 * 24 + 9), Replay.Start, burstStart, TimeSpan.FromMinutes(15));
        var burst = Enumerable.Range(0, 600).Select(i => traffic.Probe(burstStart.AddSeconds(i * 18))).ToList();
        var findings = Replay.Run(detector, burst, burstStart, burstStart.AddMinutes(15), Minute);
        Assert.Contains(findings, f => f.Severity == FindingSeverity.Page && f.Kind == AnomalyKinds.PaymentFailures);
        var failuresBefore = Snapshot(detector.State.Failures, detector.State.FailureRate);
        var refundsBefore = Snapshot(detector.State.Refunds);

        // Three hours of the attack go by while the anomaly is open: failures learn nothing, refunds keep learning.
        Replay.Run(detector, burst.Where(e => e.At >= burstStart.AddMinutes(15)), burstStart.AddMinutes(15), burstStart.AddHours(3), TimeSpan.FromMinutes(15));
        Assert.Equal(failuresBefore, Snapshot(detector.State.Failures, detector.State.FailureRate));
        Assert.NotEqual(refundsBefore, Snapshot(detector.State.Refunds));

        // Resolved: the baseline moves again.
        detector.SetOpen(AnomalyKinds.PaymentFailures, false);
        detector.Evaluate(burstStart.AddHours(7));
        Assert.NotEqual(failuresBefore, Snapshot(detector.State.Failures, detector.State.FailureRate));
    }

    [Fact]
    public void After_a_page_the_same_kind_stays_quiet_until_resolved_and_cooled_down()
    {
        var detector = new AccountDetector(Options);
        var traffic = new TrafficGenerator(new AccountProfile("acct_cool", 1, 0.05, 0.1, 0.001), seed: 16);
        var at = Replay.Start.AddDays(1);
        detector.Observe(Enumerable.Range(0, 100).Select(i => traffic.Probe(at.AddSeconds(i))));
        Assert.Contains(detector.Evaluate(at.AddMinutes(5)), f => f.Severity == FindingSeverity.Page);
        Assert.Empty(detector.Evaluate(at.AddMinutes(6)));

        detector.SetOpen(AnomalyKinds.PaymentFailures, false);
        Assert.Empty(detector.Evaluate(at.AddMinutes(7)));
        detector.Observe(Enumerable.Range(0, 100).Select(i => traffic.Probe(at.AddMinutes(65).AddSeconds(i))));
        Assert.Contains(detector.Evaluate(at.AddMinutes(67)), f => f.Severity == FindingSeverity.Page);
    }

    private static string Snapshot(params object[] parts) => string.Join("|", parts.Select(p => JsonSerializer.Serialize(p, p.GetType())));
}
