using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;

namespace Vigil.Api.Tests;

/// <summary>
/// The dashboard in a real browser: Debian's headless Chromium driven through Debian's chromedriver
/// (both installed by <c>.ci/run</c>), at a phone's width. A missing browser fails the test.
/// </summary>
public sealed class DashboardBrowserTests
{
    private const string Chromium = "/usr/bin/chromium";
    private const string ChromeDriver = "/usr/bin/chromedriver";
    private const string Script = "<script>document.title='pwned';window.pwned=1</script><img src=x onerror=\"window.pwned=2\">";

    private static readonly string Config = $$"""
        data_dir: ./data
        timezone: UTC
        jobs:
          boom:
            schedule: "0 0 1 1 *"
            run: { command: ["sh", "-c", "echo about to fail; exit 7"] }
          xss:
            schedule: "0 0 1 1 *"
            run: { command: ["printf", "%s", "{{Script.Replace("\"", "\\\"", StringComparison.Ordinal)}}"] }
        """;

    /// <summary>Where the jobs page screenshot is saved (a test artifact).</summary>
    public static string ScreenshotPath => Path.Combine(AppContext.BaseDirectory, "artifacts", "dashboard-jobs.png");

    [Fact]
    public async Task Dashboard_ShowsTheFailure_RetryAddsAnAttempt_AndOutputIsText()
    {
        Assert.True(File.Exists(Chromium) && File.Exists(ChromeDriver),
            $"the browser test needs Debian's chromium and chromium-driver ({Chromium}, {ChromeDriver}): apt-get install -y chromium chromium-driver (.ci/run does)");
        await using var daemon = await ApiDaemon.StartAsync(Config);
        var (_, boomRun) = await daemon.SendAsync(HttpMethod.Post, "/api/jobs/boom/trigger");
        var (_, xssRun) = await daemon.SendAsync(HttpMethod.Post, "/api/jobs/xss/trigger");
        foreach (var id in new[] { boomRun.GetProperty("id").GetInt64(), xssRun.GetProperty("id").GetInt64() })
        {
            await ApiDaemon.WaitForAsync(
                async () =>
                {
                    var (_, run) = await daemon.GetAsync($"/api/runs/{id}");
                    return run.GetProperty("state").GetString() is "failed" or "succeeded" ? (object)run : null;
                },
                $"run {id} to end");
        }

        using var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(ChromeDriver)!, Path.GetFileName(ChromeDriver));
        service.HideCommandPromptWindow = true;
        service.SuppressInitialDiagnosticInformation = true;
        var options = new ChromeOptions { BinaryLocation = Chromium };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=414,896", "--no-first-run");
        using var driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
        var wait = new WebDriverWait(driver, ApiDaemon.Patience);

        // The jobs page shows boom's last run as failed.
        driver.Navigate().GoToUrl(daemon.Address);
        var failedBadge = wait.Until(d => d.FindElements(By.CssSelector("tr[data-job='boom'] a .badge.s-failed")).FirstOrDefault());
        Assert.Equal("failed", failedBadge!.Text);
        Assert.Contains("1 whose last run did not succeed", driver.FindElement(By.CssSelector("p.summary")).Text);

        // Each row's strip of recent runs (all read at once): boom's one run, failed, linked to its page; xss's succeeded.
        var boomCell = Assert.Single(driver.FindElements(By.CssSelector("tr[data-job='boom'] .strip a.cell")));
        Assert.Equal($"/runs/{boomRun.GetProperty("id").GetInt64()}", new Uri(boomCell.GetAttribute("href")!).AbsolutePath);
        Assert.Contains("s-failed", boomCell.GetAttribute("class"), StringComparison.Ordinal);
        var xssCell = Assert.Single(driver.FindElements(By.CssSelector("tr[data-job='xss'] .strip a.cell")));
        Assert.Contains("s-succeeded", xssCell.GetAttribute("class"), StringComparison.Ordinal);
        Directory.CreateDirectory(Path.GetDirectoryName(ScreenshotPath)!);
        ((ITakesScreenshot)driver).GetScreenshot().SaveAsFile(ScreenshotPath);
        Assert.True(new FileInfo(ScreenshotPath).Length > 1000);

        // Its run page: the reason, one attempt, and a retry button that adds the second attempt.
        failedBadge.Click();
        wait.Until(d => d.FindElements(By.CssSelector("main h1")).FirstOrDefault(h => h.Text.StartsWith("Run #", StringComparison.Ordinal)));
        Assert.Equal("exit code 7", driver.FindElement(By.CssSelector("p.reason")).Text);
        Assert.Single(driver.FindElements(By.CssSelector("ol.attempts li")));
        driver.FindElements(By.CssSelector("button[data-post]")).Single(b => b.Text == "Retry").Click();
        var attempts = wait.Until(d => d.FindElements(By.CssSelector("ol.attempts li")) is { Count: 2 } found ? found : null);
        Assert.StartsWith("attempt 2", attempts![1].Text);

        // The output of a job that prints markup is shown as text, and nothing in it ran.
        driver.Navigate().GoToUrl(new Uri(daemon.Address, $"/runs/{xssRun.GetProperty("id").GetInt64()}"));
        var output = wait.Until(d => d.FindElements(By.CssSelector("pre.output")).FirstOrDefault());
        Assert.Equal(Script, output!.Text);
        Assert.Empty(driver.FindElements(By.CssSelector("main script, main img")));
        Assert.DoesNotContain("pwned", driver.Title);
        Assert.Null(((IJavaScriptExecutor)driver).ExecuteScript("return window.pwned === undefined ? null : window.pwned;"));
    }
}
