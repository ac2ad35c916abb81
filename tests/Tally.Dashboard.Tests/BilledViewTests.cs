using System.Text.Json;
using Microsoft.Playwright;
using Tally.Dashboard.Tests.Harness;
using Tally.Server.Tests.Harness;

namespace Tally.Dashboard.Tests;

/// <summary>
/// The "Billed" view: before any Admin API sync it says how to get the data; with billed rows in the index (what
/// <c>tally admin sync</c> stores) every figure it shows is the billed API's for the selected range.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class BilledViewTests(BrowserFixture browser)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 11, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Without_billed_data_the_view_says_to_run_admin_sync()
    {
        await using var server = await ServerHarness.SampleAsync();
        server.Clock.Now = Now;

        await using var page = await DashboardPage.OpenAsync(browser.Browser, server);
        await page.WaitForFiltersAsync(Query.Of(("start_date", "2026-10-22"), ("end_date", "2026-11-20")));

        Assert.Equal("No billed data — run `tally admin sync`.", (await page.Page.GetByTestId("billed").GetByTestId("empty").TextContentAsync())?.Trim());
        Assert.Equal(0, await page.Page.GetByTestId("billed-total").CountAsync());
        page.AssertClean();
    }

    [Theory]
    [InlineData(ColorScheme.Light)]
    [InlineData(ColorScheme.Dark)]
    public async Task Billed_figures_per_segment_model_and_day_and_the_gaps_equal_the_api(ColorScheme scheme)
    {
        await using var server = await ServerHarness.SampleAsync();
        server.Clock.Now = Now;
        await BilledSeed.SeedAsync(server.IndexFile);

        await using var page = await DashboardPage.OpenAsync(browser.Browser, server, scheme);
        var range = Query.Of(("start_date", "2026-10-22"), ("end_date", "2026-11-20"));
        await page.WaitForFiltersAsync(range);
        Assert.Equal(range, await page.DatasetAsync("billed"));
        await AssertShowsTheApiAsync(page, server, range, reconcile: true);

        // another range: the view follows it
        await page.Page.Locator("[data-testid=range-pill][data-range='today']").ClickAsync();
        var today = Query.Of(("start_date", "2026-11-20"), ("end_date", "2026-11-20"));
        await page.WaitForFiltersAsync(today);
        Assert.Equal("No billed data — run `tally admin sync`.", (await page.Page.GetByTestId("billed").GetByTestId("empty").TextContentAsync())?.Trim());

        // "All": every billed day; local vs billed needs a bounded range
        await page.Page.Locator("[data-testid=range-pill][data-range='all']").ClickAsync();
        await page.WaitForFiltersAsync(string.Empty);
        Assert.Equal("start_date=1970-01-01", await page.DatasetAsync("billed"));
        await AssertShowsTheApiAsync(page, server, "start_date=1970-01-01", reconcile: false);

        await page.ScreenshotAsync("billed-" + scheme.ToString().ToLowerInvariant());
        page.AssertClean();
    }

    private static async Task AssertShowsTheApiAsync(DashboardPage page, ServerHarness server, string range, bool reconcile)
    {
        var segments = await server.GetJsonAsync("/api/admin/costs?" + Query.And(range, "group_by=segment"));
        var usage = await server.GetJsonAsync("/api/admin/usage?" + Query.And(range, "group_by=segment"));
        var models = await server.GetJsonAsync("/api/admin/costs?" + Query.And(range, "group_by=model"));
        var days = await server.GetJsonAsync("/api/admin/costs?" + Query.And(range, "group_by=day"));
        Assert.Equal(BilledSeed.TotalCost, segments.GetProperty("totals").GetProperty("costUsd").GetDecimal());

        Assert.Equal(Shown.Money(segments.GetProperty("totals").GetProperty("costUsd")), (await page.Page.GetByTestId("billed-total").Locator(".value").TextContentAsync())?.Trim());

        var segmentRows = (await page.RowsAsync("billed-segment-row")).ToDictionary(static r => r.Key);
        Assert.Equal(["api", "claude-code", "console"], segmentRows.Keys);
        foreach (var row in segments.GetProperty("costs").EnumerateArray())
        {
            Assert.Equal(Shown.Money(row.GetProperty("costUsd")), segmentRows[row.GetProperty("key").GetString()!]["cost"]);
        }

        foreach (var row in usage.GetProperty("usage").EnumerateArray())
        {
            Assert.Equal(Shown.Integer(row.GetProperty("totalTokens")), segmentRows[row.GetProperty("key").GetString()!]["tokens"]);
        }

        Assert.Equal("in API", segmentRows["console"]["cost"]);

        var modelRows = await page.RowsAsync("billed-model-row");
        var apiModels = models.GetProperty("costs").EnumerateArray().ToList();
        Assert.Equal(apiModels.Select(static r => r.GetProperty("key").GetString()), modelRows.Select(static r => r.Key));
        Assert.Equal(apiModels.Select(static r => Shown.Money(r.GetProperty("costUsd"))), modelRows.Select(static r => r["cost"]));

        var dayRows = (await page.RowsAsync("billed-day-row")).ToDictionary(static r => r.Key);
        Assert.Equal(["2026-11-18", "2026-11-19"], dayRows.Keys);
        foreach (var row in days.GetProperty("costs").EnumerateArray())
        {
            Assert.Equal(Shown.Money(row.GetProperty("costUsd")), dayRows[row.GetProperty("key").GetString()!][row.GetProperty("segment").GetString()!]);
        }

        if (!reconcile)
        {
            Assert.Equal(1, await page.Page.GetByTestId("billed-reconcile-off").CountAsync());
            return;
        }

        var gaps = (await server.GetJsonAsync("/api/reconcile?" + Query.And(range, "tolerance=1"))).GetProperty("reconciliation").EnumerateArray().ToList();
        var gapRows = await page.RowsAsync("billed-gap-row");
        Assert.NotEmpty(gaps);
        Assert.Equal(gaps.Select(static g => $"{g.GetProperty("day").GetString()} {g.GetProperty("model").GetString()}"), gapRows.Select(static r => r.Key));
        for (var i = 0; i < gaps.Count; i++)
        {
            Assert.Equal(Shown.Money(gaps[i].GetProperty("localCostUsd")), gapRows[i]["local"]);
            Assert.Equal(Shown.Money(gaps[i].GetProperty("billedUsd")), gapRows[i]["billed"]);
            Assert.Equal(Signed(gaps[i].GetProperty("costGapUsd")), gapRows[i]["gap"]);
            Assert.Equal(gaps[i].GetProperty("withinTolerance").GetBoolean() ? "ok" : gaps[i].GetProperty("cause").GetString(), gapRows[i]["cause"]);
        }

        // the 18th's Opus row matches the sample's own records to the cent; the 19th's Haiku is only in the bill
        Assert.Equal("ok", gapRows.Single(static r => r.Key == "2026-11-18 claude-opus-4-1-20250805")["cause"]);
        Assert.NotEqual("ok", gapRows.Single(static r => r.Key == "2026-11-19 claude-haiku-4-5-20251001")["cause"]);
    }

    private static string Signed(JsonElement value)
    {
        var shown = Shown.Money(value);
        return value.GetDecimal() > 0 && shown is not "$0.00" and not "$0" ? "+" + shown : shown;
    }
}
