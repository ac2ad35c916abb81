using System.Text.Json;
using Microsoft.Playwright;
using Tally.Server.Tests.Harness;

namespace Tally.Dashboard.Tests.Harness;

/// <summary>
/// The dashboard in a fresh browser context: opens it, waits for its first render, reads its widgets, and records
/// every request it makes (a request to anywhere but the server fails the test) and every console error.
/// </summary>
public sealed class DashboardPage : IAsyncDisposable
{
    /// <summary>How long a step may wait for the page before the test gives up (a bound, never an assertion).</summary>
    public const float GiveUpMs = 15_000;

    /// <summary>Endpoints the page asks for that a server may not have yet (it then says so on the page).</summary>
    private static readonly string[] Optional = ["/api/limits", "/api/budgets", "/api/alerts"];

    private readonly IBrowserContext _context;
    private readonly List<string> _foreignRequests = [];
    private readonly List<string> _consoleErrors = [];

    private DashboardPage(IBrowserContext context, IPage page, ServerHarness server)
    {
        _context = context;
        Page = page;
        Server = server;
    }

    public IPage Page { get; }

    public ServerHarness Server { get; }

    /// <summary>Opens the dashboard (at <paramref name="hash"/>, if given) and waits for its first full render.</summary>
    public static async Task<DashboardPage> OpenAsync(IBrowser browser, ServerHarness server, ColorScheme scheme = ColorScheme.Light, string hash = "")
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            ColorScheme = scheme,
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
            TimezoneId = "UTC",
        });
        context.SetDefaultTimeout(GiveUpMs);
        var page = await context.NewPageAsync();
        var dashboard = new DashboardPage(context, page, server);
        var origin = server.Address.GetLeftPart(UriPartial.Authority);
        page.Request += (_, request) =>
        {
            if (!request.Url.StartsWith(origin + "/", StringComparison.Ordinal))
            {
                dashboard._foreignRequests.Add(request.Url);
            }
        };
        page.Console += (_, message) =>
        {
            if (message.Type == "error" && !Optional.Any(o => message.Location.Contains(o, StringComparison.Ordinal)))
            {
                dashboard._consoleErrors.Add($"{message.Text} ({message.Location})");
            }
        };
        page.PageError += (_, error) => dashboard._consoleErrors.Add("uncaught: " + error);
        await page.GotoAsync(new Uri(server.Address, "/" + hash).ToString());
        await page.WaitForFunctionAsync("() => document.documentElement.dataset.ready === '1' || document.documentElement.dataset.error");
        Assert.Null(await dashboard.DatasetAsync("error"));
        return dashboard;
    }

    /// <summary>A value of <c>document.documentElement.dataset</c>.</summary>
    public Task<string?> DatasetAsync(string name) =>
        Page.EvaluateAsync<string?>("name => document.documentElement.dataset[name] ?? null", name);

    /// <summary>Waits until the page has rendered the data of exactly these filters (its API query, in its order).</summary>
    public async Task WaitForFiltersAsync(string expected)
    {
        try
        {
            await Page.WaitForFunctionAsync("q => document.documentElement.dataset.filters === q && !document.documentElement.dataset.error", expected);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"the page shows filters \"{await DatasetAsync("filters")}\", expected \"{expected}\" (error: {await DatasetAsync("error")})");
        }
    }

    /// <summary>Waits until the sessions table shows this query.</summary>
    public async Task WaitForSessionsAsync(string expected)
    {
        try
        {
            await Page.WaitForFunctionAsync("q => document.documentElement.dataset.sessions === q", expected);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"the sessions table shows \"{await DatasetAsync("sessions")}\", expected \"{expected}\"");
        }
    }

    /// <summary>The text of the element with this test id.</summary>
    public async Task<string> TextAsync(string testId) => (await Page.GetByTestId(testId).TextContentAsync())?.Trim() ?? string.Empty;

    /// <summary>The rows with this test id, in order: their <c>data-key</c> and the text of each <c>data-col</c> cell.</summary>
    public async Task<IReadOnlyList<Row>> RowsAsync(string testId)
    {
        var rows = await Page.EvaluateAsync<JsonElement>(
            """
            id => [...document.querySelectorAll(`[data-testid="${id}"]`)].map(r => ({
              key: r.dataset.key ?? "",
              cells: Object.fromEntries([...r.querySelectorAll("[data-col]")].map(c => [c.dataset.col, c.textContent.trim()])),
            }))
            """,
            testId);
        return [.. rows.EnumerateArray().Select(static r => new Row(
            r.GetProperty("key").GetString()!,
            r.GetProperty("cells").EnumerateObject().ToDictionary(static p => p.Name, static p => p.Value.GetString()!)))];
    }

    /// <summary>Saves a full-page screenshot into the test results (.artifacts/test-results/screenshots).</summary>
    public async Task ScreenshotAsync(string name)
    {
        var folder = Path.Combine(TestData.RepositoryRoot, ".artifacts", "test-results", "screenshots");
        Directory.CreateDirectory(folder);
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name + ".png"), FullPage = true });
    }

    /// <summary>Fails when the page asked anything of another origin or logged an error.</summary>
    public void AssertClean()
    {
        Assert.True(_foreignRequests.Count == 0, "requests outside the server: " + string.Join(", ", _foreignRequests));
        Assert.True(_consoleErrors.Count == 0, "console errors: " + string.Join(" | ", _consoleErrors));
    }

    public async ValueTask DisposeAsync() => await _context.DisposeAsync();

    /// <summary>A table row on the page.</summary>
    public sealed record Row(string Key, IReadOnlyDictionary<string, string> Cells)
    {
        public string this[string column] => Cells[column];
    }
}
