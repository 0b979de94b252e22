using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Billing.StripeSamples;

namespace Billing.Gateway.Tests.OperatorConsole;

/// <summary>
/// The console's insight pages over real HTTP, parsed as HTML: churn risk on the customer page and the at-risk list,
/// anomalies with acknowledge and resolve, and the Orleans dashboard behind the operator sign-in with its grain-state
/// view cut off.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class ConsoleInsightsTests(ConsoleStackFixture fixture) : IDisposable
{
    private readonly ConsoleClient _client = new(fixture.BaseAddress);

    [Fact]
    public async Task A_past_due_customer_shows_its_risk_card_and_is_on_the_at_risk_page()
    {
        await _client.SignInAsync(ConsoleStackFixture.Key);
        var customer = await fixture.SeedAtRiskCustomerAsync();

        var (_, page) = await _client.GetAsync("/console/customer?id=" + customer);
        Assert.Equal("60", page.QuerySelector("#risk-score")!.TextContent);
        Assert.Equal("medium", page.QuerySelector("#risk-band")!.TextContent);
        Assert.Contains("heuristic", page.QuerySelector("#churn-risk")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(["past_due", "failed_payments"], page.QuerySelectorAll("#risk-reasons tbody tr td:first-child").Select(td => td.TextContent));

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            var (response, list) = await _client.GetAsync("/console/at-risk");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            if (list.QuerySelectorAll("#at-risk tbody tr").Any(row => row.TextContent.Contains(customer, StringComparison.Ordinal)))
            {
                break;
            }

            Assert.True(DateTime.UtcNow < deadline, $"{customer} never appeared on /console/at-risk");
            await Task.Delay(200);
        }
    }

    [Fact]
    public async Task An_anomaly_is_listed_with_its_evidence_and_acknowledged_then_resolved_from_the_page()
    {
        await _client.SignInAsync(ConsoleStackFixture.Key);
        var account = await fixture.SeedCardTestingBurstAsync();

        var row = await WaitForRowAsync(account);
        Assert.Contains("payment failures", row.TextContent, StringComparison.Ordinal);
        Assert.Contains("card testing", row.TextContent, StringComparison.Ordinal);
        Assert.Contains("open", row.QuerySelector(".badge[class*=anomaly-]")!.TextContent, StringComparison.Ordinal);

        var acknowledge = row.QuerySelector<IHtmlButtonElement>("button[id^=acknowledge-]")!.Form!;
        var (acknowledged, afterAcknowledge) = await _client.SubmitAsync(acknowledge);
        Assert.Equal(HttpStatusCode.OK, acknowledged.StatusCode);
        Assert.Contains("acknowledged", afterAcknowledge.QuerySelector("#anomaly-message")!.TextContent, StringComparison.Ordinal);

        var resolve = afterAcknowledge.QuerySelectorAll("#anomalies tbody tr").Single(r => r.TextContent.Contains(account, StringComparison.Ordinal))
            .QuerySelector<IHtmlButtonElement>("button[id^=resolve-]")!.Form!;
        var (_, afterResolve) = await _client.SubmitAsync(resolve);
        Assert.Contains("resolved", afterResolve.QuerySelector("#anomaly-message")!.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain(afterResolve.QuerySelectorAll("#anomalies tbody tr"), r => r.TextContent.Contains(account, StringComparison.Ordinal));

        var (_, resolvedList) = await _client.GetAsync("/console/anomalies?state=resolved");
        Assert.Contains(resolvedList.QuerySelectorAll("#anomalies tbody tr"), r => r.TextContent.Contains(account, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_orleans_dashboard_needs_the_operator_sign_in_and_its_grain_state_view_is_off()
    {
        var (anonymous, _) = await _client.GetAsync("/console/orleans/ClusterStats");
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.StartsWith("/console/sign-in", anonymous.Headers.Location!.AbsolutePath, StringComparison.Ordinal);

        await _client.SignInAsync(ConsoleStackFixture.Key);
        var (index, _) = await _client.GetAsync("/console/orleans/");
        Assert.Equal(HttpStatusCode.OK, index.StatusCode);
        Assert.Equal("text/html", index.Content.Headers.ContentType?.MediaType);
        var (stats, _) = await _client.GetAsync("/console/orleans/ClusterStats");
        Assert.Equal(HttpStatusCode.OK, stats.StatusCode);
        var (state, _) = await _client.GetAsync("/console/orleans/GrainState?grainId=cus_1&grainType=Billing.Grains.Customers.CustomerGrain");
        Assert.Equal(HttpStatusCode.Forbidden, state.StatusCode);
        var (trace, _) = await _client.GetAsync("/console/orleans/Trace");
        Assert.Equal(HttpStatusCode.Forbidden, trace.StatusCode);
    }

    public void Dispose() => _client.Dispose();

    private async Task<IElement> WaitForRowAsync(string account)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var (_, page) = await _client.GetAsync("/console/anomalies");
            if (page.QuerySelectorAll("#anomalies tbody tr").FirstOrDefault(r => r.TextContent.Contains(account, StringComparison.Ordinal)) is { } row)
            {
                return row;
            }

            Assert.True(DateTime.UtcNow < deadline, $"no anomaly for {account} on /console/anomalies within 30 s");
            await Task.Delay(300);
        }
    }
}
