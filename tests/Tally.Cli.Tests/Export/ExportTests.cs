using System.Globalization;
using System.Text.Json;
using Tally.Cli.Output;
using Tally.Cli.Tests.Harness;
using Tally.Core.Export;

namespace Tally.Cli.Tests.Export;

public class ExportTests
{
    [Theory]
    [InlineData("auto")]
    [InlineData("calculate")]
    public async Task Records_as_csv_sum_to_the_daily_report(string mode)
    {
        using var cli = new TallyCli();
        var daily = (await cli.RunAsync("daily", "--json", "-z", "UTC", "--mode", mode)).Json().GetProperty("totals");
        var result = await cli.RunAsync("export", "--format", "csv", "--mode", mode);
        Assert.Equal((0, string.Empty), (result.ExitCode, result.Error));

        var records = Csv.Parse(result.Out);
        Assert.Equal(RecordExporter.Columns, records[0]);
        var rows = Csv.Rows(result.Out);
        AssertTotals(daily, rows.Count, rows.Select(static r => (Func<string, string>)(name => r[name])));
    }

    [Theory]
    [InlineData("json")]
    [InlineData("jsonl")]
    public async Task Records_as_json_or_json_lines_sum_to_the_daily_report(string format)
    {
        using var cli = new TallyCli();
        var daily = (await cli.RunAsync("daily", "--json", "-z", "UTC")).Json().GetProperty("totals");
        var result = await cli.RunAsync("export", "records", "-f", format);
        Assert.Equal(0, result.ExitCode);

        List<JsonElement> objects;
        if (format == "json")
        {
            using var document = JsonDocument.Parse(result.Out);
            objects = [.. document.RootElement.EnumerateArray().Select(static e => e.Clone())];
        }
        else
        {
            var lines = result.Out.Split('\n');
            Assert.Equal(string.Empty, lines[^1]);
            objects = [.. lines[..^1].Select(static l => JsonDocument.Parse(l).RootElement.Clone())];
        }

        Assert.All(objects, static o => Assert.Equal(RecordExporter.Columns, JsonChecks.Names(o)));
        AssertTotals(daily, objects.Count, objects.Select(static o => (Func<string, string>)(name => o.GetProperty(name).ToString())));

        var sub = Assert.Single(objects, static o => o.GetProperty("agentId").GetString() == "7d3f2a");
        Assert.True(sub.GetProperty("isSidechain").GetBoolean());
        Assert.Equal("claude-haiku-4-5-20251001", sub.GetProperty("catalogModel").GetString());
        Assert.Equal(2, sub.GetProperty("sourceLine").GetInt64());
        var unknown = Assert.Single(objects, static o => o.GetProperty("model").GetString() == "claude-unknown-99");
        Assert.Equal(("unpriced", JsonValueKind.Null), (unknown.GetProperty("priceStatus").GetString(), unknown.GetProperty("catalogModel").ValueKind));
        var legacy = Assert.Single(objects, static o => o.GetProperty("reportedCostUSD").ValueKind == JsonValueKind.Number);
        Assert.Equal(("reported", Prices.LegacyReported), (legacy.GetProperty("costSource").GetString(), legacy.GetProperty("costUSD").GetDecimal()));
        Assert.Contains(objects, static o => o.GetProperty("tools").GetArrayLength() > 0);
    }

    [Fact]
    public async Task A_report_exports_as_the_same_json_and_csv_as_the_report_command_and_as_json_lines()
    {
        using var cli = new TallyCli();
        foreach (var kind in new[] { "daily", "weekly", "monthly", "session", "projects", "models" })
        {
            var json = await cli.RunAsync(kind, "--json", "-z", "UTC");
            Assert.Equal(json.Out, (await cli.RunAsync("export", kind, "-f", "json", "-z", "UTC")).Out);
            Assert.Equal((await cli.RunAsync(kind, "--csv", "-z", "UTC", "--breakdown")).Out, (await cli.RunAsync("export", kind, "-z", "UTC", "--breakdown")).Out);

            var lines = (await cli.RunAsync("export", kind, "-f", "jsonl", "-z", "UTC")).Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            var array = json.Json().EnumerateObject().First().Value.EnumerateArray().Select(static e => e.GetRawText()).ToList();
            Assert.Equal(array.Count, lines.Length);
            Assert.Equal(array.Select(Compact), lines);
        }
    }

    [Fact]
    public async Task Awkward_values_are_quoted_and_read_back_exactly()
    {
        using var cli = new TallyCli(noClaudeData: true);
        cli.Variables["CLAUDE_CONFIG_DIR"] = Path.Combine(cli.Root, "claude");
        const string Cwd = "/tmp/a,b \"quoted\"\nnext line";
        const string Branch = "feat/\"x\",y\r\nz";
        cli.WriteFile("claude/projects/-odd/s.jsonl", Transcript.Assistant("odd,session", Cwd, Branch, "msg_odd", cli.Clock.Now.AddHours(-1)) + "\n");

        var result = await cli.RunAsync("export", "--format", "csv");
        var row = Assert.Single(Csv.Rows(result.Out));
        Assert.Equal(("odd,session", Cwd, Branch), (row["sessionId"], row["cwd"], row["gitBranch"]));
        Assert.Equal(string.Empty, row["agentId"]);

        var jsonl = JsonDocument.Parse((await cli.RunAsync("export", "-f", "jsonl")).Out).RootElement;
        Assert.Equal((Cwd, Branch), (jsonl.GetProperty("cwd").GetString(), jsonl.GetProperty("gitBranch").GetString()));
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("", "")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("\"", "\"\"\"\"")]
    [InlineData("line\nbreak", "\"line\nbreak\"")]
    [InlineData("cr\rhere", "\"cr\rhere\"")]
    public void Csv_fields_are_quoted_only_when_they_must_be(string value, string written)
    {
        using var output = new StringWriter();
        CsvText.Field(output, value);
        Assert.Equal(written, output.ToString());
    }

    [Fact]
    public async Task Filters_select_the_records()
    {
        using var cli = new TallyCli();
        Assert.Equal(3, Csv.Rows((await cli.RunAsync("export", "--until", "2026-11-19", "-z", "UTC")).Out).Count);
        Assert.Equal(5, Csv.Rows((await cli.RunAsync("export", "--since", "2026-11-20", "-z", "UTC")).Out).Count);
        Assert.Equal(3, Csv.Rows((await cli.RunAsync("export", "--project", "blog")).Out).Count);
        var opus = Csv.Rows((await cli.RunAsync("export", "--model", "opus")).Out);
        Assert.Equal(2, opus.Count);
        Assert.All(opus, static r => Assert.Contains("opus", r["model"], StringComparison.Ordinal));
        Assert.Single(Csv.Rows((await cli.RunAsync("export", "--session", "c3d4e5f6-a7b8-4c9d-8e0f-1a2b3c4d5e6f")).Out));
        Assert.Equal("[]\n", (await cli.RunAsync("export", "-f", "json", "--since", "2030-01-01")).Out);
    }

    [Fact]
    public async Task Output_goes_to_a_file_in_the_format_its_extension_names()
    {
        using var cli = new TallyCli();
        var path = Path.Combine(cli.Root, "out", "records.jsonl");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var result = await cli.RunAsync("export", "--output", path);
        Assert.Equal((0, string.Empty), (result.ExitCode, result.Out));
        Assert.Contains("Wrote 8 records to", result.Console, StringComparison.Ordinal);
        Assert.Equal(8, File.ReadAllLines(path).Length);
        Assert.Equal([path], Directory.GetFiles(Path.GetDirectoryName(path)!));

        var report = Path.Combine(cli.Root, "out", "daily.csv");
        Assert.Equal(0, (await cli.RunAsync("export", "daily", "--output", report, "-z", "UTC")).ExitCode);
        Assert.StartsWith("date,models,", File.ReadAllText(report), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("export --format xml", "--format \"xml\" is not csv, json or jsonl")]
    [InlineData("export hourly", "\"hourly\" is not something to export")]
    [InlineData("export --order desc", "--order applies to reports")]
    [InlineData("export daily -f json --breakdown", "--breakdown applies to a report exported as CSV")]
    [InlineData("export --output /nonexistent-folder/x.csv", "does not exist")]
    [InlineData("export --since 2026-13-01", "--since \"2026-13-01\" is not a date")]
    public async Task Bad_flags_exit_with_code_2_and_say_why(string command, string message)
    {
        using var cli = new TallyCli();
        var result = await cli.RunAsync(command.Split(' '));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.Out);
    }

    private static string Compact(string json)
    {
        using var document = JsonDocument.Parse(json);
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            document.WriteTo(writer);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void AssertTotals(JsonElement daily, int count, IEnumerable<Func<string, string>> records)
    {
        var list = records.ToList();
        Assert.Equal(daily.GetProperty("requests").GetInt64(), count);
        foreach (var name in new[] { "inputTokens", "outputTokens", "cacheCreationTokens", "cacheCreation5mTokens", "cacheCreation1hTokens", "cacheReadTokens", "totalTokens", "webSearchRequests" })
        {
            Assert.Equal(daily.GetProperty(name).GetInt64(), list.Sum(r => long.Parse(r(name), CultureInfo.InvariantCulture)));
        }

        Assert.Equal(daily.GetProperty("totalCost").GetDecimal(), list.Sum(static r => decimal.Parse(r("costUSD"), CultureInfo.InvariantCulture)));
    }
}
