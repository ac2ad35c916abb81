using Microsoft.Playwright;

namespace Tally.Dashboard.Tests.Harness;

/// <summary>
/// One headless Debian Chromium for every browser test (launching is the slow part). Playwright never downloads a
/// browser here: the launch names /usr/bin/chromium (the <c>test</c> script installs it), and the flags keep Chromium
/// off the network (closed here) so it does not flood refused connections. Each launch gets a fresh temporary profile.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    /// <summary>Debian's Chromium.</summary>
    public const string Executable = "/usr/bin/chromium";

    /// <summary>The flags Chromium is started with.</summary>
    public static readonly string[] Flags =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
    ];

    private IPlaywright? _playwright;

    /// <summary>The browser.</summary>
    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(Executable))
        {
            throw new InvalidOperationException($"{Executable} is missing: install Debian's Chromium (apt-get install -y chromium); the test script does it.");
        }

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Executable,
            Headless = true,
            Args = Flags,
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}

/// <summary>The browser tests share one browser.</summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
