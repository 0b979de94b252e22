using OpenQA.Selenium;
using OpenQA.Selenium.Support.UI;

namespace Billing.Gateway.Tests.OperatorConsole;

/// <summary>
/// The console as a person uses it, in a real browser against the gateway on a real port: sign in, find a customer,
/// read the history, ask as-of, replay a dead letter. Each page is saved as a screenshot.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class ConsoleBrowserTests(ConsoleStackFixture stack, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private IWebDriver Driver => browser.Driver;

    [SkippableFact]
    public void An_operator_signs_in_after_a_wrong_key_and_sees_the_cluster()
    {
        SkipWithoutBrowser();
        Driver.Manage().Cookies.DeleteAllCookies();
        Go("/console");
        Assert.StartsWith(Url("/console/sign-in"), Driver.Url, StringComparison.Ordinal);

        Driver.FindElement(By.Id("key")).SendKeys("wrong-key");
        Driver.FindElement(By.Id("sign-in")).Click();
        Assert.Contains("not accepted", Wait(By.Id("sign-in-error")).Text, StringComparison.Ordinal);
        browser.Screenshot("01-sign-in");

        Driver.FindElement(By.Id("key")).SendKeys(ConsoleStackFixture.Key);
        Driver.FindElement(By.Id("sign-in")).Click();
        Assert.Equal("Ready", Wait(By.Id("readiness")).Text);
        Assert.Equal(Url("/console"), Driver.Url);
        browser.Screenshot("02-overview");
    }

    [SkippableFact]
    public async Task An_operator_finds_a_customer_by_subscription_reads_the_history_and_asks_as_of()
    {
        SkipWithoutBrowser();
        var seeded = await stack.SeedCustomerAsync();
        SignIn();

        Go("/console/customers");
        Driver.FindElement(By.Id("q")).SendKeys(seeded.SubscriptionId);
        browser.Screenshot("03-customers");
        Driver.FindElement(By.Id("search")).Click();

        Assert.Equal(seeded.CustomerId, Wait(By.Id("customer-id")).Text);
        Assert.Equal("GRACE", Driver.FindElement(By.Id("access")).Text);
        var rows = Driver.FindElements(By.CssSelector("#timeline tbody tr"));
        Assert.Equal(2, rows.Count);
        Assert.Contains("access ACTIVE → GRACE", rows[1].Text, StringComparison.Ordinal);

        Driver.FindElement(By.Id("at")).SendKeys(seeded.Between.ToString("O"));
        Driver.FindElement(By.Id("as-of-submit")).Click();
        Assert.Equal("ACTIVE", Wait(By.Id("as-of-access")).Text);
        browser.Screenshot("04-customer");
    }

    [SkippableFact]
    public async Task An_operator_replays_a_dead_letter_after_confirming_and_the_receiver_gets_it()
    {
        SkipWithoutBrowser();
        var customer = $"cus_web_{Guid.NewGuid():N}"[..24];
        var id = await stack.DeadLetterAsync(customer, 3);
        SignIn();

        Go("/console/dead-letters");
        browser.Screenshot("05-dead-letters");
        Wait(By.LinkText(id.ToString(System.Globalization.CultureInfo.InvariantCulture))).Click();
        Wait(By.Id("replay")).Click();
        Assert.Contains("Replay this delivery?", Wait(By.Id("replay-confirmation")).Text, StringComparison.Ordinal);
        browser.Screenshot("06-dead-letter-confirm");

        stack.Receiver.Script(ConsoleStackFixture.FulfillmentPath, 200);
        Driver.FindElement(By.Id("replay-confirm")).Click();

        Assert.Contains("Replayed: the endpoint answered 200", Wait(By.Id("replay-outcome")).Text, StringComparison.Ordinal);
        var delivered = await stack.Receiver.WaitForAsync(r => r.MessageId == $"{customer}:3", TimeSpan.FromSeconds(10));
        Assert.Equal(ConsoleStackFixture.FulfillmentPath, delivered.Path.TrimStart('/'));
        browser.Screenshot("07-dead-letter-replayed");
    }

    [SkippableFact]
    public void The_recovery_page_says_what_to_configure()
    {
        SkipWithoutBrowser();
        SignIn();

        Go("/console/recovery");

        Assert.Contains("Stripe:ApiKey", Wait(By.Id("recovery-not-configured")).Text, StringComparison.Ordinal);
        browser.Screenshot("08-recovery");
    }

    [SkippableFact]
    public async Task An_operator_acknowledges_an_anomaly_and_it_stays_listed_as_acknowledged()
    {
        SkipWithoutBrowser();
        var account = await stack.SeedCardTestingBurstAsync();
        SignIn();

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        IWebElement row;
        while (true)
        {
            Go("/console/anomalies");
            row = Driver.FindElements(By.CssSelector("#anomalies tbody tr")).FirstOrDefault(r => r.Text.Contains(account, StringComparison.Ordinal))!;
            if (row is not null)
            {
                break;
            }

            Assert.True(DateTime.UtcNow < deadline, $"no anomaly for {account} within 30 s");
            await Task.Delay(500);
        }

        Assert.Contains("card testing", row.Text, StringComparison.Ordinal);
        browser.Screenshot("09-anomalies");
        row.FindElement(By.CssSelector("button[id^=acknowledge-]")).Click();

        Assert.Contains("acknowledged", Wait(By.Id("anomaly-message")).Text, StringComparison.Ordinal);
        var after = Driver.FindElements(By.CssSelector("#anomalies tbody tr")).Single(r => r.Text.Contains(account, StringComparison.Ordinal));
        Assert.Contains("acknowledged", after.Text, StringComparison.Ordinal);
        browser.Screenshot("10-anomaly-acknowledged");
    }

    [SkippableFact]
    public async Task An_operator_sees_who_is_at_risk_and_why()
    {
        SkipWithoutBrowser();
        var customer = await stack.SeedAtRiskCustomerAsync();
        SignIn();

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            Go("/console/at-risk");
            if (Driver.FindElements(By.LinkText(customer)).Count > 0)
            {
                break;
            }

            Assert.True(DateTime.UtcNow < deadline, $"{customer} never appeared at risk");
            await Task.Delay(300);
        }

        browser.Screenshot("11-at-risk");
        Driver.FindElement(By.LinkText(customer)).Click();
        Assert.Equal("60", Wait(By.Id("risk-score")).Text);
        ((IJavaScriptExecutor)Driver).ExecuteScript("document.getElementById('churn-risk').scrollIntoView()");
        browser.Screenshot("12-customer-risk");
    }

    [SkippableFact]
    public void The_orleans_dashboard_opens_behind_the_sign_in()
    {
        SkipWithoutBrowser();
        SignIn();

        Go("/console/orleans/");

        // A single-page app: wait until it has drawn something from its JSON endpoints.
        new WebDriverWait(Driver, TimeSpan.FromSeconds(20)).Until(d => d.FindElement(By.TagName("body")).Text.Length > 50);
        Assert.StartsWith(Url("/console/orleans/"), Driver.Url, StringComparison.Ordinal);
        browser.Screenshot("13-orleans-dashboard");
    }

    private void SkipWithoutBrowser() => Skip.If(browser.MissingReason is not null, browser.MissingReason);

    private void SignIn()
    {
        Go("/console");
        if (Driver.Url.StartsWith(Url("/console/sign-in"), StringComparison.Ordinal))
        {
            Driver.FindElement(By.Id("key")).SendKeys(ConsoleStackFixture.Key);
            Driver.FindElement(By.Id("sign-in")).Click();
            Wait(By.Id("readiness"));
        }
    }

    private void Go(string path) => Driver.Navigate().GoToUrl(Url(path));

    private string Url(string path) => new Uri(stack.BaseAddress, path).ToString();

    private IWebElement Wait(By by) => new WebDriverWait(Driver, TimeSpan.FromSeconds(15)).Until(driver => driver.FindElement(by));
}
