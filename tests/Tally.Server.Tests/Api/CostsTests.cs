using System.Text.Json;
using Tally.Server.Tests.Harness;

namespace Tally.Server.Tests.Api;

/// <summary><c>GET /api/costs</c> on the demo corpus: agreement with the CLI and the generator's ground truth, row-level filters.</summary>
public class CostsTests(DemoServer fixture) : IClassFixture<DemoServer>
{
    private readonly ServerHarness _server = fixture.Server;

    [Fact]
    public async Task Totals_equal_the_cli_daily_report_for_the_same_range_built_from_its_own_index()
    {
        using var cli = new TallyCli(_server.ClaudeDir, _server.Clock);
        foreach (var mode in new[] { "auto", "calculate" })
        {
            var daily = await cli.JsonAsync("daily", "--json", "--since", "2026-11-01", "--until", "2026-11-15", "--timezone", "Europe/Paris", "--mode", mode);
            var api = await _server.GetJsonAsync($"/api/costs?start_date=2026-11-01&end_date=2026-11-15&timezone=Europe/Paris&cost_mode={mode}&group_by=day");

            var totals = api.GetProperty("totals");
            var expected = daily.GetProperty("totals");
            Assert.True(totals.GetProperty("totalCost").GetDecimal() > 0);
            foreach (var field in new[] { "totalCost", "inputTokens", "outputTokens", "cacheCreationTokens", "cacheReadTokens", "totalTokens" })
            {
                Assert.Equal(expected.GetProperty(field).GetDecimal(), totals.GetProperty(field).GetDecimal());
            }

            var days = daily.GetProperty("daily").EnumerateArray().ToDictionary(static d => d.GetProperty("date").GetString()!, static d => d.GetProperty("totalCost").GetDecimal());
            var rows = api.GetProperty("rows").EnumerateArray().ToDictionary(static d => d.GetProperty("key").GetString()!, static d => d.GetProperty("totalCost").GetDecimal());
            Assert.Equal(days, rows);
        }
    }

    [Fact]
    public async Task Token_and_request_totals_equal_the_generators_ground_truth()
    {
        var expected = _server.Corpus!.Expected.Where(static e => e.Day >= new DateOnly(2026, 11, 5) && e.Day <= new DateOnly(2026, 11, 18)).ToList();
        var api = await _server.GetJsonAsync("/api/costs?start_date=2026-11-05&end_date=2026-11-18&timezone=UTC");

        var totals = api.GetProperty("totals");
        Assert.Equal(expected.Sum(static e => e.Requests), totals.GetProperty("requests").GetInt64());
        Assert.Equal(expected.Sum(static e => e.Tokens.Input), totals.GetProperty("inputTokens").GetInt64());
        Assert.Equal(expected.Sum(static e => e.Tokens.Output), totals.GetProperty("outputTokens").GetInt64());
        Assert.Equal(expected.Sum(static e => e.Tokens.CacheRead), totals.GetProperty("cacheReadTokens").GetInt64());
        Assert.Equal(expected.Sum(static e => e.Tokens.CacheWrite), totals.GetProperty("cacheCreationTokens").GetInt64());
        Assert.Equal(expected.Sum(static e => e.Requests), totals.GetProperty("calls").GetProperty("cloud").GetInt64());
        Assert.Equal(0, totals.GetProperty("calls").GetProperty("local").GetInt64());
    }

    [Theory]
    [InlineData("project")]
    [InlineData("model")]
    [InlineData("session")]
    [InlineData("day")]
    [InlineData("agent")]
    public async Task Rows_series_and_totals_agree_under_every_grouping(string groupBy)
    {
        var api = await _server.GetJsonAsync($"/api/costs?group_by={groupBy}&start_date=2026-10-20&end_date=2026-11-20&project=app");

        var totals = api.GetProperty("totals");
        Assert.False(api.GetProperty("rowsOverlap").GetBoolean());
        Assert.True(totals.GetProperty("requests").GetInt64() > 0);
        foreach (var set in new[] { "rows", "series" })
        {
            var items = api.GetProperty(set).EnumerateArray().ToList();
            Assert.Equal(totals.GetProperty("totalCost").GetDecimal(), items.Sum(static r => r.GetProperty("totalCost").GetDecimal()));
            Assert.Equal(totals.GetProperty("totalTokens").GetInt64(), items.Sum(static r => r.GetProperty("totalTokens").GetInt64()));
            Assert.Equal(totals.GetProperty("requests").GetInt64(), items.Sum(static r => r.GetProperty("requests").GetInt64()));
            Assert.All(items, static r => Assert.Equal(r.GetProperty("totalCost").GetDecimal(), r.GetProperty("modelBreakdowns").EnumerateArray().Sum(static m => m.GetProperty("cost").GetDecimal())));
        }
    }

    [Fact]
    public async Task The_series_has_every_day_from_the_first_to_the_last_with_data()
    {
        var api = await _server.GetJsonAsync("/api/costs?start_date=2026-11-01&end_date=2026-11-20");
        var dates = api.GetProperty("series").EnumerateArray().Select(static s => DateOnly.Parse(s.GetProperty("date").GetString()!, System.Globalization.CultureInfo.InvariantCulture)).ToList();

        Assert.Equal(Enumerable.Range(0, dates[^1].DayNumber - dates[0].DayNumber + 1).Select(i => dates[0].AddDays(i)), dates);
    }

    [Fact]
    public async Task Tool_rows_overlap_and_each_is_at_most_the_total()
    {
        var api = await _server.GetJsonAsync("/api/costs?group_by=tool");
        var total = api.GetProperty("totals").GetProperty("requests").GetInt64();
        var rows = api.GetProperty("rows").EnumerateArray().ToList();

        Assert.True(api.GetProperty("rowsOverlap").GetBoolean());
        Assert.Contains(rows, static r => r.GetProperty("tool").ValueKind == JsonValueKind.String);
        Assert.All(rows, r => Assert.InRange(r.GetProperty("requests").GetInt64(), 1, total));
        Assert.True(rows.Sum(static r => r.GetProperty("requests").GetInt64()) >= total);
    }

    [Fact]
    public async Task Models_absent_is_every_model_present_and_empty_is_none_and_a_list_is_those()
    {
        var all = await _server.GetJsonAsync("/api/costs?group_by=model");
        var models = all.GetProperty("rows").EnumerateArray().Select(static r => r.GetProperty("key").GetString()!).ToList();
        Assert.True(models.Count >= 3);

        var none = await _server.GetJsonAsync("/api/costs?group_by=model&models=");
        Assert.Empty(none.GetProperty("rows").EnumerateArray());
        Assert.Empty(none.GetProperty("series").EnumerateArray());
        Assert.Equal(0m, none.GetProperty("totals").GetProperty("totalCost").GetDecimal());
        Assert.Equal(0, none.GetProperty("totals").GetProperty("requests").GetInt64());

        var two = await _server.GetJsonAsync($"/api/costs?group_by=model&models={Uri.EscapeDataString(models[0] + "," + models[1])}");
        Assert.Equal(models[..2].Order(), two.GetProperty("rows").EnumerateArray().Select(static r => r.GetProperty("key").GetString()!).Order());
        var expected = all.GetProperty("rows").EnumerateArray().Take(2).Sum(static r => r.GetProperty("totalCost").GetDecimal());
        Assert.Equal(expected, two.GetProperty("totals").GetProperty("totalCost").GetDecimal());

        var repeated = await _server.GetJsonAsync($"/api/costs?group_by=model&models={Uri.EscapeDataString(models[0])}&models={Uri.EscapeDataString(models[1])}");
        Assert.Equal(expected, repeated.GetProperty("totals").GetProperty("totalCost").GetDecimal());

        var unknown = await _server.GetJsonAsync("/api/costs?models=no-such-model");
        Assert.Equal(0, unknown.GetProperty("totals").GetProperty("requests").GetInt64());
    }

    [Fact]
    public async Task Compare_previous_gives_the_window_of_the_same_length_just_before()
    {
        var api = await _server.GetJsonAsync("/api/costs?start_date=2026-11-11&end_date=2026-11-20&compare=previous");
        var previous = api.GetProperty("previous");
        var before = await _server.GetJsonAsync("/api/costs?start_date=2026-11-01&end_date=2026-11-10");

        Assert.Equal("2026-11-01", previous.GetProperty("startDate").GetString());
        Assert.Equal("2026-11-10", previous.GetProperty("endDate").GetString());
        var then = before.GetProperty("totals").GetProperty("totalCost").GetDecimal();
        var now = api.GetProperty("totals").GetProperty("totalCost").GetDecimal();
        Assert.Equal(then, previous.GetProperty("totals").GetProperty("totalCost").GetDecimal());
        Assert.Equal(now - then, previous.GetProperty("change").GetProperty("totalCost").GetDecimal());
        Assert.Equal(JsonValueKind.Null, (await _server.GetJsonAsync("/api/costs?start_date=2026-11-11&end_date=2026-11-20")).GetProperty("previous").ValueKind);
    }

    [Fact]
    public async Task Compare_without_both_dates_is_a_problem_naming_compare()
    {
        var problem = await _server.GetJsonAsync("/api/costs?start_date=2026-11-11&compare=previous", 400);

        Assert.True(problem.GetProperty("errors").TryGetProperty("compare", out _));
    }

    [Theory]
    [InlineData("source=claude_code", true)]
    [InlineData("source=all", true)]
    [InlineData("execution_mode=cloud", true)]
    [InlineData("source=internal", false)]
    [InlineData("source=proxy", false)]
    [InlineData("execution_mode=local", false)]
    [InlineData("source=claude_code&execution_mode=local", false)]
    public async Task Source_and_execution_mode_filter_rows(string filter, bool selects)
    {
        var all = await _server.GetJsonAsync("/api/costs");
        var api = await _server.GetJsonAsync("/api/costs?" + filter);

        Assert.Equal(selects ? all.GetProperty("totals").GetProperty("requests").GetInt64() : 0, api.GetProperty("totals").GetProperty("requests").GetInt64());
        Assert.Equal(selects, api.GetProperty("rows").GetArrayLength() > 0);
    }

    [Fact]
    public async Task A_project_is_found_by_its_folder_name_and_by_its_path()
    {
        var projects = await _server.GetJsonAsync("/api/costs/projects");
        var first = projects.GetProperty("projects")[0];
        var path = first.GetProperty("projectPath").GetString()!;
        var cost = first.GetProperty("totalCost").GetDecimal();

        var byName = await _server.GetJsonAsync("/api/costs?project=" + Uri.EscapeDataString(Path.GetFileName(path).ToUpperInvariant()));
        var byPath = await _server.GetJsonAsync("/api/costs?project=" + Uri.EscapeDataString(path));
        Assert.Equal(cost, byName.GetProperty("totals").GetProperty("totalCost").GetDecimal());
        Assert.Equal(cost, byPath.GetProperty("totals").GetProperty("totalCost").GetDecimal());
        Assert.Equal([path], byPath.GetProperty("filters").GetProperty("projectPaths").EnumerateArray().Select(static p => p.GetString()!));
        Assert.Equal(projects.GetProperty("totals").GetProperty("totalCost").GetDecimal(), projects.GetProperty("projects").EnumerateArray().Sum(static p => p.GetProperty("totalCost").GetDecimal()));
    }
}
