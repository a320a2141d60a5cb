using Microsoft.Playwright;

namespace ReflexiveIdentity.Dashboard.Tests;

/// <summary>
/// One headless Chromium for the test class: Debian's <c>chromium</c> package (or <c>CHROMIUM_PATH</c>),
/// driven by Playwright without ever downloading a browser.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private IPlaywright? playwright;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Where screenshots go: <c>TestResults/dashboard</c> beside the test assembly.</summary>
    public static string ArtifactsDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "TestResults", "dashboard");

    public async Task InitializeAsync()
    {
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        var executable = Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } path ? path : "/usr/bin/chromium";
        Assert.True(File.Exists(executable), $"Chromium was not found at {executable}: install Debian's package (apt-get install -y chromium) or set CHROMIUM_PATH.");
        Directory.CreateDirectory(ArtifactsDirectory);

        // Auto-waiting expectations poll the page; the dashboard polls the service every 1.5 s.
        Assertions.SetDefaultExpectTimeout(20_000);
        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = executable,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        playwright?.Dispose();
    }
}
