using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace Billing.Gateway.Tests.OperatorConsole;

/// <summary>
/// Debian's <c>chromium</c> driven by its matching <c>chromium-driver</c> (Selenium), headless at 1280x900. Nothing is
/// downloaded: both binaries are passed explicitly and Selenium Manager is kept offline. Missing binaries skip the
/// browser tests locally (with the reason) and fail them under <c>CI=true</c>.
/// </summary>
public sealed class BrowserFixture : IDisposable
{
    public const string Chromium = "/usr/bin/chromium";
    public const string DriverDirectory = "/usr/bin";
    public const string DriverName = "chromedriver";

    private readonly ChromeDriver? _driver;

    public BrowserFixture()
    {
        var driverPath = Path.Combine(DriverDirectory, DriverName);
        if (!File.Exists(Chromium) || !File.Exists(driverPath))
        {
            MissingReason = $"{Chromium} or {driverPath} is missing: `apt-get install -y chromium chromium-driver` to run the browser tests.";
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException("CI=true and the browser is missing: " + MissingReason);
            }

            return;
        }

        Environment.SetEnvironmentVariable("SE_OFFLINE", "true");
        var service = ChromeDriverService.CreateDefaultService(DriverDirectory, DriverName);
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        var options = new ChromeOptions { BinaryLocation = Chromium };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900",
            "--disable-gpu", "--no-first-run", "--disable-extensions", "--lang=en-US");
        _driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
        _driver.Manage().Timeouts().PageLoad = TimeSpan.FromSeconds(30);
    }

    /// <summary>Why there is no browser; null when there is one.</summary>
    public string? MissingReason { get; }

    /// <summary>The browser (only when <see cref="MissingReason"/> is null).</summary>
    public IWebDriver Driver => _driver ?? throw new InvalidOperationException(MissingReason);

    /// <summary>Where screenshots go: <c>TestResults/screenshots</c> beside the test assembly.</summary>
    public static string ScreenshotDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");

    /// <summary>
    /// Saves what the browser shows as <c>{name}.png</c> in the test output, and, with
    /// <c>BILLING_SCREENSHOTS_TO_DOCS=1</c>, in the repository's <c>docs/screenshots</c> (README's pictures): an ordinary
    /// run leaves the checkout as it was.
    /// </summary>
    public void Screenshot(string name)
    {
        var shot = ((ITakesScreenshot)Driver).GetScreenshot();
        Directory.CreateDirectory(ScreenshotDirectory);
        var file = Path.Combine(ScreenshotDirectory, name + ".png");
        shot.SaveAsFile(file);
        if (Environment.GetEnvironmentVariable("BILLING_SCREENSHOTS_TO_DOCS") == "1" && RepositoryDocs() is { } docs)
        {
            Directory.CreateDirectory(docs);
            File.Copy(file, Path.Combine(docs, name + ".png"), overwrite: true);
        }
    }

    // docs/screenshots of the checkout the tests run from (README shows them), found by walking up to Billing.sln.
    private static string? RepositoryDocs()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Billing.sln")))
            {
                return Path.Combine(directory.FullName, "docs", "screenshots");
            }
        }

        return null;
    }

    public void Dispose() => _driver?.Quit();
}
