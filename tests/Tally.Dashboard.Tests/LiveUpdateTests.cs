using System.Text.Json;
using Microsoft.Playwright;
using Tally.Dashboard.Tests.Harness;
using Tally.Server.Tests.Harness;

namespace Tally.Dashboard.Tests;

/// <summary>
/// The page follows the index: a call appended to a transcript reaches the index through the server's watcher, the
/// events stream says so, and the page shows the new figures. No timing assertion: the test only gives up after a
/// generous bound.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class LiveUpdateTests(BrowserFixture browser)
{
    private static readonly TimeSpan GiveUp = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task A_call_appended_to_a_transcript_shows_on_the_page_with_an_active_session()
    {
        await using var server = await ServerHarness.DemoAsync();
        await using var page = await DashboardPage.OpenAsync(browser.Browser, server);
        var filters = Query.Of(("start_date", ServerHarness.CorpusEnd.AddDays(-29).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)), ("end_date", ServerHarness.CorpusEnd.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)));
        await page.WaitForFiltersAsync(filters);
        var before = (await server.GetJsonAsync("/api/costs?" + filters)).GetProperty("totals");
        Assert.Equal(Shown.Money(before.GetProperty("totalCost")), await page.TextAsync("cost-value"));
        await page.Page.GetByTestId("sort-date").ClickAsync(); // latest sessions first: the new one will be at the top
        await page.WaitForSessionsAsync(Query.And(filters, "sort=date&order=desc&limit=25"));

        // A new session, two minutes before the server's "now": it is active.
        var session = Guid.NewGuid().ToString();
        var folder = Directory.EnumerateDirectories(Path.Combine(server.ClaudeDir, "projects")).First();
        await File.WriteAllTextAsync(Path.Combine(folder, session + ".jsonl"), Line(session, ServerHarness.CorpusNow.AddMinutes(-2)));

        var after = await WaitForApiAsync(server, "/api/costs?" + filters, t => t.GetProperty("requests").GetInt64() > before.GetProperty("requests").GetInt64());
        Assert.NotEqual(before.GetProperty("totalCost").GetDecimal(), after.GetProperty("totalCost").GetDecimal());
        var expect = new LocatorAssertionsToHaveTextOptions { Timeout = (float)GiveUp.TotalMilliseconds };
        await Assertions.Expect(page.Page.GetByTestId("cost-value")).ToHaveTextAsync(Shown.Money(after.GetProperty("totalCost")), expect);
        await Assertions.Expect(page.Page.GetByTestId("tokens-value")).ToHaveTextAsync(Shown.Integer(after.GetProperty("totalTokens")), expect);
        var sessions = await server.GetJsonAsync("/api/stats/sessions?" + filters);
        await Assertions.Expect(page.Page.GetByTestId("sessions-value")).ToHaveTextAsync(Shown.Integer(sessions.GetProperty("total")), expect);
        await Assertions.Expect(page.Page.Locator($"[data-testid=session-row][data-key='{session}'] [data-testid=active-dot]")).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = (float)GiveUp.TotalMilliseconds });
        Assert.Equal("live", await page.Page.GetByTestId("live-status").GetAttributeAsync("data-status"));
        page.AssertClean();
    }

    private static async Task<JsonElement> WaitForApiAsync(ServerHarness server, string path, Func<JsonElement, bool> done)
    {
        var until = DateTime.UtcNow + GiveUp;
        while (true)
        {
            var totals = (await server.GetJsonAsync(path)).GetProperty("totals");
            if (done(totals))
            {
                return totals;
            }

            Assert.True(DateTime.UtcNow < until, $"the index did not count the appended call within {GiveUp.TotalSeconds} s");
            await Task.Delay(100);
        }
    }

    private static string Line(string session, DateTimeOffset at) =>
        "{\"parentUuid\":null,\"isSidechain\":false,\"userType\":\"external\",\"cwd\":\"/home/demo/src/app\",\"sessionId\":\"" + session + "\",\"version\":\"2.0.14\",\"gitBranch\":\"main\","
        + "\"message\":{\"id\":\"msg_01DashboardLive" + session.Replace("-", string.Empty, StringComparison.Ordinal)[..12] + "\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-opus-4-1-20250805\",\"content\":[{\"type\":\"text\",\"text\":\"Done.\"}],"
        + "\"usage\":{\"input_tokens\":1200,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":5000,\"output_tokens\":3400}},"
        + "\"requestId\":\"req_" + session + "\",\"type\":\"assistant\",\"uuid\":\"" + Guid.NewGuid() + "\",\"timestamp\":\"" + at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture) + "\"}\n";
}
