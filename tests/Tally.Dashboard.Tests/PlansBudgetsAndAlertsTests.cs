using System.Globalization;
using System.Text.Json;
using Tally.Core.Alerts;
using Tally.Core.Budgets;
using Tally.Core.Limits;
using Tally.Core.Storage;
using Tally.Dashboard.Tests.Harness;
using Tally.Server;
using Tally.Server.Tests.Harness;

namespace Tally.Dashboard.Tests;

/// <summary>
/// The plan bars, the budget bars and the alerts, on the repository's sample: its transcript holds a "usage limit
/// reached" line (10:51, resets at 12:00), so at 11:00 the 5-hour window is blocked by an observed signal; budgets.json
/// has a daily and a per-session budget, both passed, whose alerts the budget check raised.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class PlansBudgetsAndAlertsTests(BrowserFixture browser)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 11, 0, 0, TimeSpan.Zero);

    private const string Budgets = """
        { "budgets": [
          { "name": "daily", "scope": "day", "limit": 0.01 },
          { "name": "per-session", "scope": "session", "limit": 0.05, "action": "stop" }
        ] }
        """;

    [Fact]
    public async Task Plan_bars_name_their_signal_and_budgets_and_alerts_equal_the_api()
    {
        IUsageStore? store = null;
        await using var server = await ServerHarness.SampleAsync(data: d =>
        {
            store = d.Store;
            return d with { UserFiles = new UserFiles(Budgets) };
        });
        server.Clock.Now = Now;
        var budgets = BudgetFile.Read(Budgets, "budgets.json", []);
        var monitor = new BudgetMonitor(store!, server.Clock, new BudgetSettings { Zone = TimeZoneInfo.Utc }, new AlertDispatcher(store!, [], server.Clock));
        var check = await monitor.CheckAsync(budgets, CancellationToken.None);
        Assert.NotEmpty(check.Raised);

        await using var page = await DashboardPage.OpenAsync(browser.Browser, server);
        await page.WaitForFiltersAsync(Query.Of(("start_date", "2026-10-22"), ("end_date", "2026-11-20")));

        // plan bars: every window of /api/limits, its figure and the signal it came from
        var limits = await server.GetJsonAsync("/api/limits");
        var windows = limits.GetProperty("windows").EnumerateArray().ToList();
        var bars = page.Page.GetByTestId("plan-bar");
        Assert.Equal(windows.Count, await bars.CountAsync());
        for (var i = 0; i < windows.Count; i++)
        {
            var window = windows[i];
            var bar = bars.Nth(i);
            var utilisation = window.GetProperty("utilisation");
            Assert.Equal(window.GetProperty("window").GetString(), await bar.GetAttributeAsync("data-window"));
            Assert.Equal(utilisation.GetProperty("source").GetString() ?? "none", await bar.GetAttributeAsync("data-signal"));
            var expected = utilisation.GetProperty("percent").ValueKind == JsonValueKind.Null
                ? "unknown"
                : utilisation.GetProperty("percent").GetDecimal().ToString("N0", CultureInfo.InvariantCulture) + "%" + (window.GetProperty("blocked").GetBoolean() ? " · blocked" : string.Empty);
            Assert.Equal(expected, await bar.GetByTestId("plan-percent").TextContentAsync());
        }

        var fiveHour = page.Page.Locator("[data-testid=plan-bar][data-window='5h']");
        Assert.Equal("limit-line", await fiveHour.GetAttributeAsync("data-signal"));
        Assert.Equal("100% · blocked", await fiveHour.GetByTestId("plan-percent").TextContentAsync());
        Assert.Equal("signal: limit-line", await fiveHour.GetByTestId("plan-signal").TextContentAsync());

        // budget bars: the day budget in the plan section, the session budget on its agent's card
        var statuses = (await server.GetJsonAsync("/api/budgets")).GetProperty("budgets").EnumerateArray().ToList();
        var daily = statuses.Single(b => b.GetProperty("name").GetString() == "daily").GetProperty("status")[0];
        Assert.Equal(daily.GetProperty("percent").GetDecimal().ToString("N0", CultureInfo.InvariantCulture) + "%",
            await page.Page.Locator("[data-testid=budget-bar][data-budget='daily'] [data-testid=budget-percent]").TextContentAsync());
        var session = statuses.Single(b => b.GetProperty("name").GetString() == "per-session").GetProperty("status")[0];
        var card = page.Page.Locator($"[data-testid=agent-card][data-key='{session.GetProperty("subject").GetString()}']");
        Assert.Equal("per-session", await card.GetByTestId("agent-budget").GetAttributeAsync("data-budget"));
        Assert.Contains(Shown.Money(session.GetProperty("used")) + " of $0.05", await card.GetByTestId("agent-budget").TextContentAsync(), StringComparison.Ordinal);

        // alerts: the API's, newest first
        var alerts = (await server.GetJsonAsync("/api/alerts?" + Query.Of(("start_date", "2026-10-22"), ("end_date", "2026-11-20")))).GetProperty("alerts").EnumerateArray().ToList();
        Assert.NotEmpty(alerts);
        Assert.Equal(alerts.Select(a => a.GetProperty("key").GetString()).Reverse(), await page.Page.GetByTestId("alert").EvaluateAllAsync<string[]>("items => items.map(i => i.dataset.key)"));
        Assert.Equal(alerts[^1].GetProperty("message").GetString(), await page.Page.GetByTestId("alert").First.Locator(".message").TextContentAsync());

        await page.ScreenshotAsync("plans-budgets-alerts");
        page.AssertClean();
    }

    /// <summary>budgets.json as text; plans.json absent (the default plans).</summary>
    private sealed class UserFiles(string budgets) : IUserFiles
    {
        public string PlansFile => "/nonexistent/plans.json";

        public string BudgetsFile => "/nonexistent/budgets.json";

        public PlanSettings ReadPlans(ICollection<string> errors) => PlanFile.Defaults;

        public IReadOnlyList<Budget> ReadBudgets(ICollection<string> errors) => BudgetFile.Read(budgets, BudgetsFile, errors);
    }
}
