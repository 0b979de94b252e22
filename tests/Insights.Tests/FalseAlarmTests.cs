using System.Globalization;
using Billing.Insights.Tests.Generation;
using Xunit.Abstractions;

namespace Billing.Insights.Tests;

/// <summary>
/// How often detection pages when nothing is wrong: 200 accounts × 60 days of quiet traffic (daily and weekly
/// seasonality, hourly over-dispersion, wobbling failure rates, volumes from 0.2 to 200 attempts an hour), evaluated
/// every 15 minutes as a host would. The measured rate is written to the test output and to
/// <c>false-alarms.txt</c> beside the test assembly; the README quotes it.
/// </summary>
public sealed class FalseAlarmTests(ITestOutputHelper output)
{
    private const int Accounts = 200;
    private const int Days = 60;

    // The budget: at most one false page per 1,000 account-days (500 accounts: one every two days). Measured here:
    // count and rate tests 0 (p ≤ 1e-6 plus effect floors); the few pages are disputes (≥ 3 a day at p ≤ 1e-4).
    private const double MaxPagesPerAccountDay = 1e-3;

    [Fact]
    public void Quiet_traffic_rarely_pages()
    {
        var options = new DetectionOptions();
        var results = new AccountResult[Accounts];
        Parallel.For(0, Accounts, new ParallelOptions { MaxDegreeOfParallelism = 2 }, i => results[i] = Run(i, options));

        var pages = results.SelectMany(r => r.Findings).Where(f => f.Severity == FindingSeverity.Page).ToList();
        var warns = results.Sum(r => r.Findings.Count(f => f.Severity == FindingSeverity.Warn));
        var evaluations = results.Sum(r => r.Evaluations);
        var tests = evaluations * AnomalyKinds.All.Count;
        var events = results.Sum(r => r.Events);
        var accountDays = Accounts * Days;
        var rate = (double)pages.Count / accountDays;
        var report = string.Join(Environment.NewLine,
        [
            $"False-alarm measurement: {Accounts} accounts x {Days} days of quiet synthetic traffic, evaluated every 15 minutes.",
            $"events: {events:N0}; evaluations: {evaluations:N0}; tests (evaluations x {AnomalyKinds.All.Count} kinds): {tests:N0}",
            $"pages: {pages.Count} ({rate.ToString("G3", CultureInfo.InvariantCulture)} per account-day, " +
                $"{((double)pages.Count / tests).ToString("G3", CultureInfo.InvariantCulture)} per test); warnings: {warns} " +
                $"({((double)warns / accountDays).ToString("G3", CultureInfo.InvariantCulture)} per account-day)",
            $"pages by kind: {string.Join(", ", pages.GroupBy(p => p.Kind).Select(g => $"{g.Key} {g.Count()}"))}",
            $"bound asserted: pages per account-day <= {MaxPagesPerAccountDay.ToString(CultureInfo.InvariantCulture)}",
            .. pages.Take(20).Select(p => $"  page: {p.Kind} {p.Test} observed {p.Observed} expected {p.Expected:F2} p {p.PValue:G3} at {p.WindowEnd:u}"),
        ]);
        output.WriteLine(report);
        File.WriteAllText(Path.Combine(AppContext.BaseDirectory, "false-alarms.txt"), report + Environment.NewLine);

        Assert.True(events > 1_000_000, $"too little traffic to measure anything: {events} events");
        Assert.True(rate <= MaxPagesPerAccountDay, $"{pages.Count} false pages in {accountDays} account-days");
    }

    private static AccountResult Run(int index, DetectionOptions options)
    {
        var draw = new Sampler(1_000 + index);
        var attempts = Math.Clamp(Math.Exp(Math.Log(4) + draw.Normal()), 0.2, 200);
        var profile = new AccountProfile(
            $"acct_quiet{index:D3}",
            attempts,
            FailureRate: 0.02 + 0.08 * draw.Uniform(),
            RefundsPerHour: attempts * (0.01 + 0.04 * draw.Uniform()),
            DisputesPerHour: attempts * (0.0005 + 0.0025 * draw.Uniform()),
            DailyAmplitude: 0.2 + 0.6 * draw.Uniform(),
            WeekendFactor: 0.4 + 0.6 * draw.Uniform(),
            DispersionShape: 4 + 16 * draw.Uniform());
        var traffic = new TrafficGenerator(profile, seed: 5_000 + index);
        var detector = new AccountDetector(options);
        var findings = new List<DetectorFinding>();
        var resolveAt = new Dictionary<string, DateTimeOffset>();
        long events = 0, evaluations = 0;
        for (var hour = 0; hour < Days * 24; hour++)
        {
            var hourStart = Replay.Start.AddHours(hour);
            var batch = traffic.Hour(hourStart);
            events += batch.Count;
            var next = 0;
            for (var quarter = 1; quarter <= 4; quarter++)
            {
                var end = hourStart.AddMinutes(15 * quarter);
                var start = next;
                while (next < batch.Count && batch[next].At < end)
                {
                    next++;
                }

                detector.Observe(batch.GetRange(start, next - start));
                var found = detector.Evaluate(end);
                findings.AddRange(found);
                evaluations++;

                // The operator resolves each page as soon as its window has passed: quiet traffic gets little shelter
                // from open anomalies, and one surge is not counted again hour after hour.
                foreach (var page in found.Where(f => f.Severity == FindingSeverity.Page))
                {
                    resolveAt[page.Kind] = end + page.Window;
                }

                foreach (var (kind, at) in resolveAt.Where(r => r.Value <= end).ToList())
                {
                    detector.SetOpen(kind, false);
                    resolveAt.Remove(kind);
                }
            }
        }

        return new AccountResult(findings, events, evaluations);
    }

    private sealed record AccountResult(List<DetectorFinding> Findings, long Events, long Evaluations);
}
