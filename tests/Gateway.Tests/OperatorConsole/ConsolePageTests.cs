using Billing.StripeSamples;
using System.Net;
using System.Net.Http.Headers;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;

namespace Billing.Gateway.Tests.OperatorConsole;

/// <summary>
/// The console over real HTTP, parsed as HTML (AngleSharp): who gets in, antiforgery, the search's id forms, and what
/// each page shows.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class ConsolePageTests(ConsoleStackFixture fixture) : IDisposable
{
    private readonly ConsoleClient _client = new(fixture.BaseAddress);

    [Fact]
    public async Task A_console_page_without_sign_in_redirects_to_the_sign_in_form()
    {
        var (response, _) = await _client.GetAsync("/console/dead-letters");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/console/sign-in?ReturnUrl=%2Fconsole%2Fdead-letters", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_key_is_refused_without_saying_why_and_no_cookie_is_set()
    {
        var response = await _client.SignInAsync("not-the-key");
        var page = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("That key was not accepted", page, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-key", page, StringComparison.Ordinal);
        Assert.DoesNotContain(_client.Cookies.GetAllCookies(), cookie => cookie.Name == "billing_operator");
        var (after, _) = await _client.GetAsync("/console");
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
    }

    [Fact]
    public async Task The_right_key_sets_an_http_only_strict_cookie_and_opens_the_overview()
    {
        var response = await _client.SignInAsync(ConsoleStackFixture.Key);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var setCookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("billing_operator=", StringComparison.Ordinal));
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", setCookie, StringComparison.OrdinalIgnoreCase);
        var (overview, page) = await _client.GetAsync("/console");
        Assert.Equal(HttpStatusCode.OK, overview.StatusCode);
        Assert.Equal("Ready", page.QuerySelector("#readiness")!.TextContent);
        Assert.Equal("1", page.QuerySelector("#active-silos")!.TextContent);
        Assert.Contains(page.QuerySelectorAll("#silos tbody tr"), row => row.TextContent.Contains("Active", StringComparison.Ordinal));
        Assert.Null(page.QuerySelector("#open-console-banner"));
    }

    [Fact]
    public async Task A_bearer_key_works_without_a_cookie_and_a_wrong_one_is_a_401()
    {
        using var right = new HttpRequestMessage(HttpMethod.Get, "/console/recovery");
        right.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ConsoleStackFixture.Key);
        using var rightResponse = await _client.Http.SendAsync(right);
        using var wrong = new HttpRequestMessage(HttpMethod.Get, "/console/recovery");
        wrong.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "nope");
        using var wrongResponse = await _client.Http.SendAsync(wrong);

        Assert.Equal(HttpStatusCode.OK, rightResponse.StatusCode);
        Assert.Contains("Stripe:ApiKey", await rightResponse.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongResponse.StatusCode);
    }

    [Fact]
    public async Task A_post_without_the_antiforgery_token_is_rejected_and_nothing_is_replayed()
    {
        await _client.SignInAsync(ConsoleStackFixture.Key);
        var customer = $"cus_con_{Guid.NewGuid():N}"[..24];
        var id = await fixture.DeadLetterAsync(customer, 1);
        fixture.Receiver.Script(ConsoleStackFixture.FulfillmentPath, 200);
        var before = fixture.Receiver.RequestsTo(ConsoleStackFixture.FulfillmentPath).Count;

        using var content = new FormUrlEncodedContent(new Dictionary<string, string>());
        using var response = await _client.Http.PostAsync(new Uri($"/console/dead-letters/{id}?handler=Replay", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(before, fixture.Receiver.RequestsTo(ConsoleStackFixture.FulfillmentPath).Count);
    }

    [Fact]
    public async Task A_sign_in_post_without_the_antiforgery_token_is_rejected()
    {
        using var content = new FormUrlEncodedContent(new Dictionary<string, string> { ["key"] = ConsoleStackFixture.Key });
        using var response = await _client.Http.PostAsync(new Uri("/console/sign-in", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain(_client.Cookies.GetAllCookies(), cookie => cookie.Name == "billing_operator");
    }

    [Fact]
    public async Task The_search_resolves_every_id_form()
    {
        await _client.SignInAsync(ConsoleStackFixture.Key);
        var seeded = await fixture.SeedCustomerAsync();
        var expected = "/console/customer?id=" + Uri.EscapeDataString(seeded.CustomerId);

        foreach (var query in new[] { seeded.CustomerId, seeded.SubscriptionId, seeded.FirstEventId, $"  {seeded.SecondEventId} " })
        {
            var (response, _) = await _client.GetAsync("/console/customers?q=" + Uri.EscapeDataString(query));
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal(expected, response.Headers.Location!.OriginalString);
        }

        var (connect, _) = await _client.GetAsync("/console/customers?q=" + Uri.EscapeDataString("acct_1x/cus_2y"));
        Assert.Equal("/console/customer?id=acct_1x%2Fcus_2y", connect.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task The_search_says_when_nothing_is_found_or_the_id_is_unknown()
    {
        await _client.SignInAsync(ConsoleStackFixture.Key);

        var (missing, missingPage) = await _client.GetAsync("/console/customers?q=sub_nobody_has_this");
        var (unknown, unknownPage) = await _client.GetAsync("/console/customers?q=pi_123");

        Assert.Equal(HttpStatusCode.OK, missing.StatusCode);
        Assert.Contains("No customer's history mentions subscription", missingPage.QuerySelector("#nothing-found")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("is not an id the console knows", unknownPage.QuerySelector("#search-result")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_customer_page_shows_entitlements_subscriptions_timeline_and_as_of()
    {
        await _client.SignInAsync(ConsoleStackFixture.Key);
        var seeded = await fixture.SeedCustomerAsync();
        var url = "/console/customer?id=" + Uri.EscapeDataString(seeded.CustomerId);

        var (_, page) = await _client.GetAsync(url + "&at=" + Uri.EscapeDataString(seeded.Between.ToString("O")));

        Assert.Equal("GRACE", page.QuerySelector("#access")!.TextContent);
        Assert.Equal("exports, reports", page.QuerySelector("#features")!.TextContent);
        Assert.Contains(seeded.SubscriptionId, page.QuerySelector("#subscriptions")!.TextContent, StringComparison.Ordinal);
        var rows = page.QuerySelectorAll("#timeline tbody tr");
        Assert.Equal(2, rows.Length);
        Assert.Contains(seeded.FirstEventId, rows[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("access NONE → ACTIVE", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("+ reports", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("access ACTIVE → GRACE", rows[1].TextContent, StringComparison.Ordinal);
        Assert.Equal("ACTIVE", page.QuerySelector("#as-of-access")!.TextContent);
        Assert.Matches(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}Z$", rows[1].QuerySelectorAll("td")[4].TextContent);
    }

    [Fact]
    public async Task The_history_pages_and_each_pages_first_entry_still_shows_its_change()
    {
        await _client.SignInAsync(ConsoleStackFixture.Key);
        var customer = StripeEventJson.NewCustomerId();
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var total = Billing.Gateway.OperatorConsole.Pages.CustomerModel.PageSize + 2;
        for (var i = 0; i < total; i++)
        {
            await fixture.Stack.Webhooks.ApplyAsync(StripeEventJson.Subscription(customer, "sub_p", i % 2 == 0 ? "active" : "past_due", now - 1000 + i));
        }

        var (_, first) = await _client.GetAsync("/console/customer?id=" + customer);
        var next = first.QuerySelector<IHtmlAnchorElement>("#next-page")!.GetAttribute("href")!;
        var (_, second) = await _client.GetAsync(next);

        Assert.Equal(Billing.Gateway.OperatorConsole.Pages.CustomerModel.PageSize, first.QuerySelectorAll("#timeline tbody tr").Length);
        var secondRows = second.QuerySelectorAll("#timeline tbody tr");
        Assert.Equal(2, secondRows.Length);
        Assert.Equal((Billing.Gateway.OperatorConsole.Pages.CustomerModel.PageSize + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), secondRows[0].QuerySelector("td")!.TextContent);
        Assert.Contains("access GRACE → ACTIVE", secondRows[0].TextContent, StringComparison.Ordinal);
        Assert.Null(second.QuerySelector("#next-page"));
    }

    [Fact]
    public async Task A_dead_letter_is_listed_shown_with_its_attempt_and_body_and_replayed_after_confirmation()
    {
        await _client.SignInAsync(ConsoleStackFixture.Key);
        var customer = $"cus_con_{Guid.NewGuid():N}"[..24];
        var id = await fixture.DeadLetterAsync(customer, 7);

        var (_, list) = await _client.GetAsync("/console/dead-letters?customer=" + customer);
        Assert.Contains($"{customer}:7", list.QuerySelector("#dead-letters")!.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain(ConsoleStackFixture.FulfillmentPath, list.DocumentElement.OuterHtml, StringComparison.Ordinal);

        var (_, confirm) = await _client.GetAsync($"/console/dead-letters/{id}?confirm=true");
        Assert.Contains("404", confirm.QuerySelector("#attempts")!.TextContent, StringComparison.Ordinal);
        Assert.Contains($"\"id\": \"{customer}:7\"", confirm.QuerySelector("#body")!.TextContent, StringComparison.Ordinal);
        var form = confirm.QuerySelector<IHtmlFormElement>("#replay-confirmation form")!;
        fixture.Receiver.Script(ConsoleStackFixture.FulfillmentPath, 200);

        var (response, result) = await _client.SubmitAsync(form);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Replayed: the endpoint answered 200", result.QuerySelector("#replay-outcome")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("replayed", result.QuerySelector("#dead-letter-state")!.TextContent);
        Assert.Contains(fixture.Receiver.RequestsTo(ConsoleStackFixture.FulfillmentPath), r => r.MessageId == $"{customer}:7");
    }

    [Fact]
    public async Task Recovery_says_it_is_not_configured_without_a_stripe_key()
    {
        await _client.SignInAsync(ConsoleStackFixture.Key);

        var (_, page) = await _client.GetAsync("/console/recovery");

        Assert.NotNull(page.QuerySelector("#recovery-not-configured"));
    }

    [Fact]
    public async Task The_stylesheet_is_served_without_sign_in()
    {
        using var response = await _client.Http.GetAsync(new Uri("/console/console.css", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/css", response.Content.Headers.ContentType!.MediaType);
    }

    public void Dispose() => _client.Dispose();
}
