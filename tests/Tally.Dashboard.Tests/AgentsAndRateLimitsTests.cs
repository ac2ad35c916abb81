using Tally.Core.Agents;
using Tally.Dashboard.Tests.Harness;
using Tally.Server;
using Tally.Server.Tests.Harness;

namespace Tally.Dashboard.Tests;

/// <summary>
/// The agent cards and the rate-limit chip, on a server whose agents have a billing mode and working-tree changes and
/// which has rate-limit readings: the page shows the API's cards and readings.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class AgentsAndRateLimitsTests(BrowserFixture browser)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 17, 45, 0, TimeSpan.Zero);

    [Fact]
    public async Task Agent_cards_and_the_rate_limit_popover_show_the_apis_figures()
    {
        var readings = new Readings(
            new RateLimitObservation { Subject = "claude-opus-4-1", Limit = "output_tokens", Maximum = 80_000, Remaining = 8_000, ObservedAt = Now.AddMinutes(-3), Signal = "proxy" },
            new RateLimitObservation { Subject = "claude-sonnet-4-5", Limit = "input_tokens", Maximum = 400_000, Remaining = 300_000, ObservedAt = Now.AddMinutes(-1), Signal = "proxy" },
            new RateLimitObservation { Account = true, Subject = "max-plan", Limit = "5h", Utilization = 0.67m, ResetsAt = Now.AddHours(2), ObservedAt = Now.AddMinutes(-10), Signal = "statusline" });
        await using var server = await ServerHarness.DemoAsync(data: d => d with
        {
            RateLimits = readings,
            WorktreeChanges = new Changes(new WorktreeChanges(142, 38, 3)),
            Agents = new AgentSettings { AuthMode = AuthMode.Subscription },
        });
        server.Clock.Now = Now; // a few minutes after the corpus's last call: that agent is active
        await using var page = await DashboardPage.OpenAsync(browser.Browser, server);

        var agents = (await server.GetJsonAsync("/api/agents")).GetProperty("agents").EnumerateArray().ToList();
        Assert.Contains(agents, a => a.GetProperty("status").GetString() == "active");
        var cards = page.Page.GetByTestId("agent-card");
        Assert.Equal(agents.Select(a => a.GetProperty("sessionId").GetString()), await cards.EvaluateAllAsync<string[]>("cards => cards.map(c => c.dataset.key)"));
        for (var i = 0; i < agents.Count; i++)
        {
            var card = cards.Nth(i);
            var agent = agents[i];
            Assert.Equal(agent.GetProperty("status").GetString(), await card.GetAttributeAsync("data-status"));
            Assert.Equal(Shown.Money(agent.GetProperty("totalCost")), await card.GetByTestId("agent-cost").TextContentAsync());
            Assert.Equal("[Sub]", await card.GetByTestId("agent-source").TextContentAsync());
            Assert.Equal("Changes: +142 -38", await card.GetByTestId("agent-changes").TextContentAsync());
            var status = await card.GetByTestId("agent-status").TextContentAsync();
            Assert.StartsWith(agent.GetProperty("status").GetString() == "active" ? "Working for " : "Idle", status, StringComparison.Ordinal);
        }

        Assert.Equal("Rate limits: 10% headroom", await page.TextAsync("rate-limit-chip"));
        Assert.False(await page.Page.GetByTestId("rate-limit-popover").IsVisibleAsync());
        await page.Page.GetByTestId("rate-limit-chip").ClickAsync();
        Assert.True(await page.Page.GetByTestId("rate-limit-popover").IsVisibleAsync());
        Assert.Equal(["claude-opus-4-1", "claude-sonnet-4-5", "max-plan"], (await page.RowsAsync("rate-limit-row")).Select(r => r.Key));
        await page.ScreenshotAsync("agents-and-rate-limits");
        await page.Page.Keyboard.PressAsync("Escape");
        Assert.False(await page.Page.GetByTestId("rate-limit-popover").IsVisibleAsync());
        page.AssertClean();
    }

    private sealed class Readings(params RateLimitObservation[] readings) : IRateLimitSignals
    {
        public Task<IReadOnlyList<RateLimitObservation>> ReadAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<RateLimitObservation>>(readings);
    }

    private sealed class Changes(WorktreeChanges changes) : IWorktreeChanges
    {
        public Task<WorktreeChanges?> ReadAsync(string directory, CancellationToken cancellationToken) => Task.FromResult<WorktreeChanges?>(changes);
    }
}
