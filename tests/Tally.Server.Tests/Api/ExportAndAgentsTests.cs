using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tally.Server.Tests.Harness;

namespace Tally.Server.Tests.Api;

/// <summary><c>/api/export</c> and <c>/api/agents</c> give what <c>tally export</c> and <c>tally agents --json</c> give.</summary>
public class ExportAndAgentsTests(DemoServer fixture) : IClassFixture<DemoServer>
{
    private const string Range = "start_date=2026-11-10&end_date=2026-11-16";
    private readonly ServerHarness _server = fixture.Server;

    [Fact]
    public async Task Records_csv_is_streamed_and_holds_the_same_records_as_tally_export()
    {
        using var cli = new TallyCli(_server.ClaudeDir, _server.Clock);
        var (code, expected, _, error) = await cli.RunAsync(["export", "--format", "csv", "--since", "2026-11-10", "--until", "2026-11-16", "--timezone", "UTC"]);
        Assert.True(code == 0, error);
        using var response = await _server.Client.GetAsync($"/api/export?{Range}&timezone=UTC&format=csv", HttpCompletionOption.ResponseHeadersRead);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("attachment; filename=\"tally-records-", response.Content.Headers.ContentDisposition?.ToString(), StringComparison.Ordinal);
        var lines = Lines(body);
        var wanted = Lines(expected);
        var diff = wanted.Zip(lines).FirstOrDefault(static p => p.First != p.Second);
        Assert.True(wanted.SequenceEqual(lines), $"{wanted.Count} vs {lines.Count}\n{diff.First}\n{diff.Second}");
        var costs = await _server.GetJsonAsync($"/api/costs?{Range}&timezone=UTC");
        Assert.Equal(costs.GetProperty("totals").GetProperty("requests").GetInt64() + 1, lines.Count);
    }

    [Theory]
    [InlineData("csv")]
    [InlineData("json")]
    [InlineData("jsonl")]
    public async Task Every_record_is_streamed_in_chunks_rather_than_buffered_whole(string format)
    {
        using var response = await _server.Client.GetAsync($"/api/export?format={format}", HttpCompletionOption.ResponseHeadersRead);
        var costs = await _server.GetJsonAsync("/api/costs");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(costs.GetProperty("totals").GetProperty("requests").GetInt64() > 256);
        Assert.Null(response.Content.Headers.ContentLength);
        Assert.True(response.Headers.TransferEncodingChunked);
        Assert.NotEmpty(await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("json")]
    [InlineData("jsonl")]
    public async Task Records_json_and_json_lines_sum_to_the_costs_totals(string format)
    {
        var body = await _server.Client.GetStringAsync($"/api/export?{Range}&format={format}&cost_mode=calculate");
        var records = format == "json"
            ? JsonDocument.Parse(body).RootElement.EnumerateArray().Select(static e => e.Clone()).ToList()
            : body.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(static l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
        var costs = await _server.GetJsonAsync($"/api/costs?{Range}&cost_mode=calculate");

        Assert.Equal(costs.GetProperty("totals").GetProperty("requests").GetInt64(), records.Count);
        Assert.Equal(costs.GetProperty("totals").GetProperty("totalCost").GetDecimal(), records.Sum(static r => r.GetProperty("costUSD").GetDecimal()));
    }

    [Fact]
    public async Task A_report_export_is_the_clis_report()
    {
        using var cli = new TallyCli(_server.ClaudeDir, _server.Clock);
        var expected = await cli.JsonAsync("export", "weekly", "--format", "json", "--since", "2026-11-01", "--until", "2026-11-20", "--timezone", "UTC");
        var api = JsonNode.Parse(await _server.Client.GetStringAsync("/api/export?what=weekly&format=json&start_date=2026-11-01&end_date=2026-11-20&timezone=UTC"));

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected.GetRawText()), api), api?.ToJsonString());
    }

    [Fact]
    public async Task Agents_are_the_cards_tally_agents_prints()
    {
        using var cli = new TallyCli(_server.ClaudeDir, _server.Clock);
        var expected = await cli.JsonAsync("agents", "--json", "--no-changes", "--since", "2026-11-19", "--timezone", "UTC");
        var api = await _server.GetJsonAsync("/api/agents?changes=false&start_date=2026-11-19&timezone=UTC");

        Assert.True(api.GetProperty("agents").GetArrayLength() > 0);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected.GetRawText()), JsonNode.Parse(api.GetRawText())), api.GetRawText());
    }

    [Fact]
    public async Task Agents_default_to_the_last_day_and_can_be_only_the_active_ones()
    {
        var all = await _server.GetJsonAsync("/api/agents?changes=false");
        var active = await _server.GetJsonAsync("/api/agents?changes=false&active=true&active_minutes=1440");

        Assert.Equal(_server.Clock.Now.AddDays(-1), all.GetProperty("tally").GetProperty("from").GetDateTimeOffset());
        Assert.All(active.GetProperty("agents").EnumerateArray(), static a => Assert.Equal("active", a.GetProperty("status").GetString()));
        Assert.Equal(all.GetProperty("agents").GetArrayLength(), active.GetProperty("agents").GetArrayLength());
    }

    /// <summary>The records, sorted, without their last two fields (source file and line: a call copied into a resumed
    /// session is kept from whichever file an index read first, and the two indexes read files in parallel).</summary>
    private static List<string> Lines(string csv) =>
        [.. csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Select(static l => l[..l.LastIndexOf(',', l.LastIndexOf(',') - 1)]).Order(StringComparer.Ordinal)];
}
