using System.Text.Json;
using Billing.Insights.State;
using Billing.Insights.Tests.Generation;
using Xunit.Abstractions;

namespace Billing.Insights.Tests;

public sealed class StateRoundTripTests(ITestOutputHelper output)
{
    [Fact]
    public void A_detector_restored_from_json_behaves_as_the_one_that_was_stored()
    {
        var options = new DetectionOptions();
        var traffic = new TrafficGenerator(new AccountProfile("acct_json", 10, 0.05, 0.3, 0.01), seed: 21);
        var events = Replay.Quiet(traffic, Replay.Start, 23 * 24);
        var original = new AccountDetector(options);
        var end = Replay.Start.AddDays(23);
        Replay.Run(original, events, Replay.Start, end, TimeSpan.FromHours(1));
        original.SetOpen(AnomalyKinds.Refunds, true);

        var json = JsonSerializer.Serialize(original.State);
        output.WriteLine($"state after 23 days at ~10 attempts/h: {json.Length:N0} bytes, {original.State.SeenKeys.Sum(h => h.Hashes.Count):N0} key hashes");
        var restored = new AccountDetector(options, JsonSerializer.Deserialize<DetectorState>(json));

        Assert.Equal(json, JsonSerializer.Serialize(restored.State));
        Assert.True(restored.IsOpen(AnomalyKinds.Refunds));
        Assert.Equal(original.DisputeRatio, restored.DisputeRatio);

        // Both see the same replayed events (deduped) and the same burst, and answer alike.
        var burst = Enumerable.Range(0, 100).Select(i => traffic.Probe(end.AddSeconds(i * 5))).ToList();
        Assert.Equal(0, restored.Observe(events.TakeLast(50)));
        Assert.Equal(original.Observe(burst), restored.Observe(burst));
        var a = original.Evaluate(end.AddMinutes(10));
        var b = restored.Evaluate(end.AddMinutes(10));
        Assert.Equal(a.Select(f => (f.Kind, f.Severity, f.Observed, f.Expected, f.PValue)), b.Select(f => (f.Kind, f.Severity, f.Observed, f.Expected, f.PValue)));
        Assert.NotEmpty(a);
    }

    [Fact]
    public void A_detector_is_one_accounts_own()
    {
        var detector = new AccountDetector(new DetectionOptions());
        detector.Observe([new SignalObservation("evt_a", StripeSignalReader.Platform, SignalKind.Refund, Replay.Start, "re_a")]);

        Assert.Equal(StripeSignalReader.Platform, detector.State.Account);
        Assert.Throws<ArgumentException>(() =>
            detector.Observe([new SignalObservation("evt_b", "acct_other", SignalKind.Refund, Replay.Start, "re_b")]));
        Assert.Throws<ArgumentOutOfRangeException>(() => detector.SetOpen("chargebacks", true));
    }

    [Fact]
    public void Events_older_than_the_dedupe_horizon_are_ignored_since_replays_of_them_could_not_be_told()
    {
        var detector = new AccountDetector(new DetectionOptions());
        var now = Replay.Start.AddDays(10);
        Assert.Equal(1, detector.Observe([new SignalObservation("evt_new", "acct_h", SignalKind.Dispute, now, "ch_new")]));

        Assert.Equal(0, detector.Observe([new SignalObservation("evt_old", "acct_h", SignalKind.Dispute, now.AddHours(-73), "ch_old")]));
        Assert.Equal(1, detector.Observe([new SignalObservation("evt_late", "acct_h", SignalKind.Dispute, now.AddHours(-71), "ch_late")]));
        Assert.Equal(2, detector.DisputeRatio.Disputes);
    }

    [Fact]
    public void State_stays_bounded_under_a_flood()
    {
        var options = new DetectionOptions { MaxRememberedKeys = 20_000 };
        var detector = new AccountDetector(options);
        var traffic = new TrafficGenerator(new AccountProfile("acct_flood", 1, 0.05, 0.1, 0.001), seed: 22);

        // 100,000 probes and 10,000 payments over 35 days.
        for (var batch = 0; batch < 100; batch++)
        {
            detector.Observe(Enumerable.Range(0, 1_000).Select(i => traffic.Probe(Replay.Start.AddSeconds((batch * 1_000 + i) * 30))));
            detector.Observe(Enumerable.Range(0, 100).Select(i => traffic.Success(Replay.Start.AddSeconds((batch * 1_000 + i * 10) * 30))));
        }

        var state = detector.State;
        Assert.InRange(state.SeenKeys.Sum(h => h.Hashes.Count), 1, 20_000);
        Assert.InRange(state.SeenKeys.Count, 1, 73);
        Assert.InRange(state.Minutes.Count, 1, 25 * 60);
        Assert.InRange(state.Days.Count, 1, 31);
        Assert.InRange(state.PaymentFailuresKind.Samples.Count, 1, 10);
        var bytes = JsonSerializer.SerializeToUtf8Bytes(state).Length;
        output.WriteLine($"state at the dedupe cap: {bytes:N0} bytes");
        Assert.True(bytes < 1_000_000, $"{bytes} bytes of state");
    }
}
