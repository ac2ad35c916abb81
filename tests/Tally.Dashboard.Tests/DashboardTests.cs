using System.Text.Json;
using Microsoft.Playwright;
using Tally.Dashboard.Tests.Harness;
using Tally.Server.Tests.Harness;

namespace Tally.Dashboard.Tests;

/// <summary>
/// The dashboard on the demo corpus (six weeks, five projects, every model family) in Debian's Chromium: what the page
/// shows equals what the API answers for the same filters, before and after using each filter.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class DashboardTests(BrowserFixture browser, DemoServer demo) : IClassFixture<DemoServer>
{
    private static readonly string Today = ServerHarness.CorpusEnd.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
    private static readonly string Last30 = ServerHarness.CorpusEnd.AddDays(-29).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
    private static readonly string Last7 = ServerHarness.CorpusEnd.AddDays(-6).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private ServerHarness Server => demo.Server;

    [Fact]
    public async Task The_first_render_shows_the_apis_figures_for_the_last_30_days()
    {
        await using var page = await DashboardPage.OpenAsync(browser.Browser, Server);
        var filters = Query.Of(("start_date", Last30), ("end_date", Today));
        await page.WaitForFiltersAsync(filters);

        await AssertPageEqualsApiAsync(page, filters);
        var costs = await Server.GetJsonAsync("/api/costs?" + filters + "&group_by=model");
        var days = await page.Page.EvaluateAsync<string[]>("() => [...document.querySelectorAll('[data-testid=chart-day]')].map(g => g.dataset.date + ' ' + g.dataset.total)");
        // one bar per day of the range: the API's figure where its series has the day, empty elsewhere
        var series = costs.GetProperty("series").EnumerateArray().ToDictionary(d => d.GetProperty("date").GetString()!, d => Shown.Money(d.GetProperty("totalCost")));
        var expected = Enumerable.Range(0, 30).Select(i => ServerHarness.CorpusEnd.AddDays(i - 29).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)).Select(d => d + " " + series.GetValueOrDefault(d, "$0.00"));
        Assert.Equal(expected, days);
        Assert.True(series.Count > 20, "the demo corpus has most days of the range");
        Assert.Equal("1", await page.DatasetAsync("ready"));
        Assert.True(await page.Page.EvaluateAsync<bool>("() => performance.getEntriesByName('tally:first-render').length === 1"));
        // the core (cards, chart, breakdowns, sessions) is drawn first, once, and never after the rest
        Assert.True(await page.Page.EvaluateAsync<bool>("""
            () => {
              const meaningful = performance.getEntriesByName('tally:first-meaningful-render');
              return meaningful.length === 1 && meaningful[0].startTime <= performance.getEntriesByName('tally:first-render')[0].startTime;
            }
            """));
        page.AssertClean();
    }

    [Fact]
    public async Task The_project_selector_and_the_date_pills_filter_everything_the_page_shows()
    {
        await using var page = await DashboardPage.OpenAsync(browser.Browser, Server);
        var projects = await Server.GetJsonAsync("/api/costs/projects?" + Query.Of(("start_date", Last30), ("end_date", Today)));
        var second = projects.GetProperty("projects")[1].GetProperty("projectPath").GetString()!;

        await page.Page.GetByTestId("project-select").SelectOptionAsync(second);
        var filters = Query.Of(("project", second), ("start_date", Last30), ("end_date", Today));
        await page.WaitForFiltersAsync(filters);
        await AssertPageEqualsApiAsync(page, filters);
        Assert.All(await page.RowsAsync("project-row"), r => Assert.Equal(second, r.Key));

        await page.Page.Locator("[data-testid=range-pill][data-range='7d']").ClickAsync();
        filters = Query.Of(("project", second), ("start_date", Last7), ("end_date", Today));
        await page.WaitForFiltersAsync(filters);
        await AssertPageEqualsApiAsync(page, filters);

        await page.Page.Locator("[data-testid=range-pill][data-range='all']").ClickAsync();
        filters = Query.Of(("project", second));
        await page.WaitForFiltersAsync(filters);
        await AssertPageEqualsApiAsync(page, filters);
        Assert.True(await page.Page.GetByTestId("compare-toggle").IsDisabledAsync(), "no previous window without a start");

        await page.Page.GetByTestId("project-select").SelectOptionAsync(string.Empty);
        await page.WaitForFiltersAsync(string.Empty);
        await AssertPageEqualsApiAsync(page, string.Empty);
        page.AssertClean();
    }

    [Fact]
    public async Task Model_chips_toggle_solo_family_reset_and_none_selected_shows_zero_rows()
    {
        await using var page = await DashboardPage.OpenAsync(browser.Browser, Server);
        var range = Query.Of(("start_date", Last30), ("end_date", Today));
        await page.WaitForFiltersAsync(range);
        var models = await AvailableModelsAsync(range);
        var sonnet = models.First(m => m.Contains("sonnet", StringComparison.Ordinal));
        Assert.Equal(models, await page.Page.EvaluateAsync<string[]>("() => [...document.querySelectorAll('[data-testid=model-chip]')].map(c => c.dataset.model).sort()"));

        // click toggles one model off: every other model
        await Chip(page, sonnet).ClickAsync();
        var filters = Query.And(range, Query.Of(("models", string.Join(',', models.Where(m => m != sonnet)))));
        await page.WaitForFiltersAsync(filters);
        await AssertPageEqualsApiAsync(page, filters);
        Assert.DoesNotContain(await page.RowsAsync("model-row"), r => r.Key == sonnet);

        // alt-click solos; shift-click too
        await Chip(page, sonnet).ClickAsync(new LocatorClickOptions { Modifiers = [KeyboardModifier.Alt] });
        filters = Query.And(range, Query.Of(("models", sonnet)));
        await page.WaitForFiltersAsync(filters);
        await AssertPageEqualsApiAsync(page, filters);
        Assert.Equal([sonnet], (await page.RowsAsync("model-row")).Select(r => r.Key));
        var opus = models.First(m => m.Contains("opus", StringComparison.Ordinal));
        await Chip(page, opus).ClickAsync(new LocatorClickOptions { Modifiers = [KeyboardModifier.Shift] });
        await page.WaitForFiltersAsync(Query.And(range, Query.Of(("models", opus))));

        // a family pill adds its whole group, and a second click removes it
        await page.Page.Locator("[data-testid=family-pill][data-family=sonnet]").ClickAsync();
        var withSonnet = models.Where(m => m == opus || m.Contains("sonnet", StringComparison.Ordinal)).Order(StringComparer.Ordinal);
        filters = Query.And(range, Query.Of(("models", string.Join(',', withSonnet))));
        await page.WaitForFiltersAsync(filters);
        await AssertPageEqualsApiAsync(page, filters);
        await page.Page.Locator("[data-testid=family-pill][data-family=sonnet]").ClickAsync();
        await page.WaitForFiltersAsync(Query.And(range, Query.Of(("models", opus))));

        // toggling the last model off selects none: models= (present and empty) is zero rows
        await Chip(page, opus).ClickAsync();
        filters = Query.And(range, "models=");
        await page.WaitForFiltersAsync(filters);
        await AssertPageEqualsApiAsync(page, filters);
        Assert.Equal("$0.00", await page.TextAsync("cost-value"));
        Assert.Equal("0", await page.TextAsync("sessions-value"));
        Assert.Empty(await page.RowsAsync("model-row"));
        Assert.Empty(await page.RowsAsync("session-row"));

        // Reset: every model again (the parameter is absent)
        await page.Page.GetByTestId("models-reset").ClickAsync();
        await page.WaitForFiltersAsync(range);
        await AssertPageEqualsApiAsync(page, range);
        page.AssertClean();
    }

    [Fact]
    public async Task Compare_with_previous_shows_the_apis_previous_window()
    {
        await using var page = await DashboardPage.OpenAsync(browser.Browser, Server);
        await page.Page.Locator("[data-testid=range-pill][data-range='7d']").ClickAsync();
        var range = Query.Of(("start_date", Last7), ("end_date", Today));
        await page.WaitForFiltersAsync(range);
        await page.Page.GetByTestId("compare-toggle").CheckAsync();
        var filters = Query.And(range, "compare=previous");
        await page.WaitForFiltersAsync(filters);
        await AssertPageEqualsApiAsync(page, range);

        var previous = (await Server.GetJsonAsync("/api/costs?" + filters + "&group_by=model")).GetProperty("previous");
        var sub = await page.TextAsync("cost-sub");
        Assert.Contains(Shown.Money(previous.GetProperty("totals").GetProperty("totalCost")), sub, StringComparison.Ordinal);
        Assert.Contains(previous.GetProperty("startDate").GetString()!, sub, StringComparison.Ordinal);
        Assert.Contains(Shown.Integer(previous.GetProperty("totals").GetProperty("totalTokens")), await page.TextAsync("tokens-sub"), StringComparison.Ordinal);

        await page.Page.GetByTestId("compare-toggle").UncheckAsync();
        await page.WaitForFiltersAsync(range);
        Assert.DoesNotContain(Shown.Money(previous.GetProperty("totals").GetProperty("totalCost")) + " in", await page.TextAsync("cost-sub"), StringComparison.Ordinal);
        page.AssertClean();
    }

    [Fact]
    public async Task The_sessions_table_sorts_by_the_api_in_either_order()
    {
        await using var page = await DashboardPage.OpenAsync(browser.Browser, Server, hash: "#range=all");
        await page.WaitForFiltersAsync(string.Empty);
        foreach (var (button, expected) in new[] { ("sort-tokens", "sort=tokens&order=desc"), ("sort-tokens", "sort=tokens&order=asc"), ("sort-date", "sort=date&order=desc"), ("sort-cost", "sort=cost&order=desc") })
        {
            await page.Page.GetByTestId(button).ClickAsync();
            var query = expected + "&limit=25";
            await page.WaitForSessionsAsync(query);
            await AssertSessionsEqualApiAsync(page, query);
        }

        await page.Page.GetByTestId("sessions-more").ClickAsync();
        await page.WaitForSessionsAsync("sort=cost&order=desc&limit=75");
        await AssertSessionsEqualApiAsync(page, "sort=cost&order=desc&limit=75");
        page.AssertClean();
    }

    [Fact]
    public async Task Money_is_shown_with_cents_up_to_100_dollars_and_without_them_above()
    {
        await using var page = await DashboardPage.OpenAsync(browser.Browser, Server);
        var shown = await page.Page.EvaluateAsync<string[]>(
            "async () => { const f = await import('/assets/js/format.js'); return [0, 0.005, 1.005, 33.2160304, 99.995, 100, 100.5, 1234.5, 1234567.891, -3.456, 0.0000001].map(f.money); }");
        Assert.Equal(["$0.00", "$0.01", "$1.01", "$33.22", "$100.00", "$100.00", "$101", "$1,235", "$1,234,568", "-$3.46", "$0.00"], shown);
        var rates = await page.Page.EvaluateAsync<string[]>("async () => { const f = await import('/assets/js/format.js'); return [0.99418, 1, 0, 0.00049, null].map(v => f.rate(v)); }");
        Assert.Equal(["99.4%", "100.0%", "0.0%", "0.0%", "—"], rates);
    }

    [Theory]
    [InlineData(ColorScheme.Light)]
    [InlineData(ColorScheme.Dark)]
    public async Task The_page_reads_in_the_systems_light_and_dark_themes(ColorScheme scheme)
    {
        await using var page = await DashboardPage.OpenAsync(browser.Browser, Server, scheme);
        await page.WaitForFiltersAsync(Query.Of(("start_date", Last30), ("end_date", Today)));
        var (background, text) = await ColorsAsync(page);
        var dark = scheme == ColorScheme.Dark;
        Assert.True(dark ? background < 0.1 : background > 0.8, $"background luminance {background} in {scheme}");
        Assert.True(Contrast(background, text) >= 7, $"text contrast {Contrast(background, text):0.0} in {scheme}");
        await page.ScreenshotAsync("dashboard-" + scheme.ToString().ToLowerInvariant());

        await page.Page.GetByTestId("rate-limit-chip").ClickAsync();
        Assert.True(await page.Page.GetByTestId("rate-limit-popover").IsVisibleAsync());
        await page.ScreenshotAsync("rate-limits-" + scheme.ToString().ToLowerInvariant());
        page.AssertClean();
    }

    /// <summary>Every figure of the cards, the model and project breakdowns, the sessions table and the tool usage,
    /// against the API's answer for <paramref name="filters"/>.</summary>
    private async Task AssertPageEqualsApiAsync(DashboardPage page, string filters)
    {
        var costs = await Server.GetJsonAsync("/api/costs?" + Query.And(filters, "group_by=model"));
        var totals = costs.GetProperty("totals");
        var sessions = await Server.GetJsonAsync("/api/stats/sessions?" + Query.And(filters, "sort=cost&order=desc&limit=25"));
        Assert.Equal(Shown.Money(totals.GetProperty("totalCost")), await page.TextAsync("cost-value"));
        Assert.Equal(Shown.Integer(totals.GetProperty("totalTokens")), await page.TextAsync("tokens-value"));
        Assert.Equal(Shown.Integer(sessions.GetProperty("total")), await page.TextAsync("sessions-value"));
        Assert.Equal(Shown.Rate(totals.GetProperty("cacheHitRate")), await page.TextAsync("cache-value"));
        Assert.Equal(Shown.Calls(totals), await page.TextAsync("calls-value"));

        var modelRows = await page.RowsAsync("model-row");
        var apiModels = costs.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(apiModels.Select(r => r.GetProperty("key").GetString()), modelRows.Select(r => r.Key));
        foreach (var (api, shown) in apiModels.Zip(modelRows))
        {
            Assert.Equal(Shown.Money(api.GetProperty("totalCost")), shown["cost"]);
            Assert.Equal(Shown.Integer(api.GetProperty("totalTokens")), shown["tokens"]);
            Assert.Equal(Shown.Integer(api.GetProperty("requests")), shown["requests"]);
            Assert.Equal(Shown.Rate(api.GetProperty("cacheHitRate")), shown["cache"]);
        }

        var projects = await Server.GetJsonAsync("/api/costs/projects" + (filters.Length > 0 ? "?" + filters : string.Empty));
        var projectRows = await page.RowsAsync("project-row");
        var apiProjects = projects.GetProperty("projects").EnumerateArray().ToList();
        Assert.Equal(apiProjects.Select(p => p.GetProperty("projectPath").GetString()), projectRows.Select(r => r.Key));
        foreach (var (api, shown) in apiProjects.Zip(projectRows))
        {
            Assert.Equal(Shown.Money(api.GetProperty("totalCost")), shown["cost"]);
            Assert.Equal(Shown.Integer(api.GetProperty("totalTokens")), shown["tokens"]);
            Assert.Equal(Shown.Integer(api.GetProperty("sessions")), shown["sessions"]);
        }

        await AssertSessionsEqualApiAsync(page, Query.And(filters, "sort=cost&order=desc&limit=25"));

        var tools = await Server.GetJsonAsync("/api/stats/tools" + (filters.Length > 0 ? "?" + filters : string.Empty));
        var toolRows = await page.RowsAsync("tool-row");
        Assert.Equal(tools.GetProperty("tools").EnumerateArray().Select(t => $"{t.GetProperty("tool").GetString()} {Shown.Integer(t.GetProperty("requests"))} {Shown.Money(t.GetProperty("totalCost"))}"),
            toolRows.Select(r => $"{r.Key} {r["requests"]} {r["cost"]}"));
    }

    private async Task AssertSessionsEqualApiAsync(DashboardPage page, string query)
    {
        var sessions = await Server.GetJsonAsync("/api/stats/sessions?" + query);
        var rows = await page.RowsAsync("session-row");
        var api = sessions.GetProperty("sessions").EnumerateArray().ToList();
        Assert.Equal(api.Select(s => s.GetProperty("sessionId").GetString()), rows.Select(r => r.Key));
        foreach (var (s, shown) in api.Zip(rows))
        {
            Assert.Equal(Shown.Money(s.GetProperty("totalCost")), shown["cost"]);
            Assert.Equal(Shown.Integer(s.GetProperty("totalTokens")), shown["tokens"]);
            Assert.Equal(Shown.Integer(s.GetProperty("requests")), shown["requests"]);
        }
    }

    /// <summary>The models the chips offer: every model used in the range, whatever the model filter.</summary>
    private async Task<string[]> AvailableModelsAsync(string range)
    {
        var projects = await Server.GetJsonAsync("/api/costs/projects?" + range);
        return [.. projects.GetProperty("projects").EnumerateArray().SelectMany(p => p.GetProperty("modelsUsed").EnumerateArray().Select(m => m.GetString()!)).Distinct().Order(StringComparer.Ordinal)];
    }

    private static ILocator Chip(DashboardPage page, string model) => page.Page.Locator($"[data-testid=model-chip][data-model='{model}']");

    private static async Task<(double Background, double Text)> ColorsAsync(DashboardPage page)
    {
        var rgb = await page.Page.EvaluateAsync<JsonElement>(
            "() => { const s = getComputedStyle(document.body); return [s.backgroundColor, s.color].map(c => c.match(/\\d+(\\.\\d+)?/g).slice(0, 3).map(Number)); }");
        return (Luminance(rgb[0]), Luminance(rgb[1]));
    }

    private static double Luminance(JsonElement rgb)
    {
        static double Channel(double c) => (c /= 255) <= 0.03928 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);
        return (0.2126 * Channel(rgb[0].GetDouble())) + (0.7152 * Channel(rgb[1].GetDouble())) + (0.0722 * Channel(rgb[2].GetDouble()));
    }

    private static double Contrast(double a, double b) => (Math.Max(a, b) + 0.05) / (Math.Min(a, b) + 0.05);
}
