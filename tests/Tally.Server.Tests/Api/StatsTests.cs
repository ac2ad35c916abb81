using System.Text.Json;
using Tally.Server.Tests.Harness;

namespace Tally.Server.Tests.Api;

/// <summary><c>/api/stats</c>, <c>/api/stats/sessions</c> and <c>/api/stats/tools</c> on the demo corpus.</summary>
public class StatsTests(DemoServer fixture) : IClassFixture<DemoServer>
{
    private readonly ServerHarness _server = fixture.Server;

    [Theory]
    [InlineData("day")]
    [InlineData("week")]
    [InlineData("month")]
    public async Task Totals_equal_costs_and_the_series_and_models_add_up_to_them(string period)
    {
        var stats = await _server.GetJsonAsync($"/api/stats?group_by={period}&start_date=2026-10-20&end_date=2026-11-20");
        var costs = await _server.GetJsonAsync("/api/costs?start_date=2026-10-20&end_date=2026-11-20");
        var totals = stats.GetProperty("totals");

        Assert.Equal(costs.GetProperty("totals").GetProperty("totalCost").GetDecimal(), totals.GetProperty("totalCost").GetDecimal());
        Assert.Equal(totals.GetProperty("totalCost").GetDecimal(), stats.GetProperty("series").EnumerateArray().Sum(static s => s.GetProperty("totalCost").GetDecimal()));
        Assert.Equal(totals.GetProperty("totalCost").GetDecimal(), stats.GetProperty("byModel").EnumerateArray().Sum(static s => s.GetProperty("totalCost").GetDecimal()));
        var read = totals.GetProperty("cacheReadTokens").GetInt64();
        var input = totals.GetProperty("inputTokens").GetInt64();
        Assert.Equal(Math.Round((decimal)read / (read + input), 6, MidpointRounding.AwayFromZero), totals.GetProperty("cacheHitRate").GetDecimal());
        var keys = stats.GetProperty("series").EnumerateArray().Select(static s => s.GetProperty("period").GetString()!).ToList();
        Assert.Equal(keys.Order(StringComparer.Ordinal), keys);
        Assert.All(keys, k => Assert.Equal(period == "month" ? 7 : 10, k.Length));
        if (period == "week")
        {
            Assert.All(keys, static k => Assert.Equal(DayOfWeek.Monday, DateOnly.Parse(k, System.Globalization.CultureInfo.InvariantCulture).DayOfWeek));
        }
    }

    [Fact]
    public async Task Session_averages_are_those_of_the_sessions_listed()
    {
        var stats = await _server.GetJsonAsync("/api/stats?start_date=2026-11-01&end_date=2026-11-20");
        var page = await _server.GetJsonAsync("/api/stats/sessions?start_date=2026-11-01&end_date=2026-11-20&limit=1000");
        var sessions = page.GetProperty("sessions").EnumerateArray().ToList();
        var averages = stats.GetProperty("sessions");

        Assert.Equal(page.GetProperty("total").GetInt32(), sessions.Count);
        Assert.Equal(sessions.Count, averages.GetProperty("count").GetInt32());
        Assert.Equal(Math.Round(sessions.Average(static s => (double)s.GetProperty("durationSeconds").GetInt64()), 0), Math.Round(averages.GetProperty("averageDurationSeconds").GetDouble(), 0));
        Assert.Equal(Math.Round((decimal)sessions.Sum(static s => s.GetProperty("totalTokens").GetInt64()) / sessions.Count, 1, MidpointRounding.AwayFromZero), averages.GetProperty("averageTokens").GetDecimal());
    }

    [Theory]
    [InlineData("cost", "totalCost")]
    [InlineData("tokens", "totalTokens")]
    [InlineData("date", "lastActivity")]
    public async Task Sessions_sort_either_way_and_pages_follow_the_order(string sort, string field)
    {
        var desc = await Sessions($"sort={sort}&order=desc&limit=1000");
        var asc = await Sessions($"sort={sort}&order=asc&limit=1000");
        var page = await Sessions($"sort={sort}&order=desc&limit=5&offset=3");

        var values = desc.Select(s => Key(s, field)).ToList();
        Assert.True(values.Count > 8);
        Assert.Equal(values.OrderDescending(StringComparer.Ordinal), values);
        Assert.Equal(asc.Select(s => Key(s, field)).Order(StringComparer.Ordinal), asc.Select(s => Key(s, field)));
        Assert.Equal(desc.Skip(3).Take(5).Select(static s => s.GetProperty("sessionId").GetString()), page.Select(static s => s.GetProperty("sessionId").GetString()));
    }

    [Fact]
    public async Task A_session_is_active_when_its_last_call_is_within_the_active_window()
    {
        var sessions = await Sessions("limit=1000");
        var now = _server.Clock.GetUtcNow();

        Assert.All(sessions, s => Assert.Equal(now - s.GetProperty("lastActivity").GetDateTimeOffset() <= TimeSpan.FromMinutes(5), s.GetProperty("active").GetBoolean()));
    }

    [Fact]
    public async Task Tools_count_the_calls_that_asked_for_each_and_the_calls_without_any()
    {
        var tools = await _server.GetJsonAsync("/api/stats/tools?start_date=2026-11-01");
        var costs = await _server.GetJsonAsync("/api/costs?start_date=2026-11-01&group_by=tool");
        var rows = tools.GetProperty("tools").EnumerateArray().ToDictionary(static t => t.GetProperty("tool").GetString()!, static t => t.GetProperty("requests").GetInt64());

        Assert.Contains("Read", rows.Keys);
        var fromCosts = costs.GetProperty("rows").EnumerateArray().Where(static r => r.GetProperty("tool").ValueKind == JsonValueKind.String)
            .ToDictionary(static r => r.GetProperty("tool").GetString()!, static r => r.GetProperty("requests").GetInt64());
        Assert.Equal(fromCosts, rows);
        Assert.True(tools.GetProperty("withoutTools").GetProperty("requests").GetInt64() > 0);
    }

    private async Task<List<JsonElement>> Sessions(string query) =>
        [.. (await _server.GetJsonAsync("/api/stats/sessions?" + query)).GetProperty("sessions").EnumerateArray()];

    /// <summary>A field as a string that sorts like the value (numbers padded, instants in ISO form).</summary>
    private static string Key(JsonElement session, string field) =>
        field == "lastActivity" ? session.GetProperty(field).GetString()! : session.GetProperty(field).GetDecimal().ToString("0000000000000.0000000000", System.Globalization.CultureInfo.InvariantCulture);
}
