using System.Text.Json;
using Tally.Cli.Tests.Harness;

namespace Tally.Cli.Tests.App;

public class ProblemsTests
{
    private const string NegativeTokens =
        """{"type":"assistant","timestamp":"2026-11-18T10:00:00.000Z","sessionId":"9b1e4d2a-3c4f-4a5b-8c6d-7e8f9a0b1c2d","cwd":"/home/alice/work/blog","requestId":"req_bad","uuid":"e0000000-0000-4000-8000-000000000001","message":{"id":"msg_bad","type":"message","role":"assistant","model":"claude-haiku-4-5","usage":{"input_tokens":-5,"output_tokens":3}}}""";

    [Fact]
    public async Task Problems_lists_each_bad_line_with_file_line_and_reason()
    {
        using var cli = new TallyCli { Width = 1000 };
        var file = Damage(cli);
        var result = await cli.RunAsync("problems");
        Assert.Equal(0, result.ExitCode);
        var lines = result.Console.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(static l => l.TrimEnd()).ToList();
        Assert.True(lines.Count == 4, result.ToString());
        Assert.StartsWith($"{file}:5: invalid JSON", lines[0], StringComparison.Ordinal);
        Assert.StartsWith($"{file}:6: ", lines[1], StringComparison.Ordinal);
        Assert.True(lines[1].Length > $"{file}:6: ".Length + 5, "the reason is given");
        Assert.Equal($"{file}:7: usage.input_tokens should be a whole number of tokens, not -5", lines[2]);
        Assert.Equal("3 lines in 1 files could not be counted; every other line was.", lines[3]);
    }

    [Fact]
    public async Task Problems_json_has_file_line_and_reason()
    {
        using var cli = new TallyCli();
        var file = Damage(cli);
        var json = (await cli.RunAsync("problems", "--json")).Json();
        Assert.Equal(["problems"], JsonChecks.Names(json));
        var problems = json.GetProperty("problems").EnumerateArray().ToList();
        Assert.Equal(3, problems.Count);
        Assert.All(problems, p => Assert.Equal(["file", "line", "reason"], JsonChecks.Names(p)));
        Assert.All(problems, p => Assert.Equal(file, p.GetProperty("file").GetString()));
        Assert.Equal([5, 6, 7], problems.Select(static p => p.GetProperty("line").GetInt64()));
        Assert.Equal(JsonValueKind.Number, problems[0].GetProperty("line").ValueKind);
        Assert.Contains("-5", problems[2].GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_lines_are_counted_in_reports_and_every_good_line_still_counts()
    {
        using var cli = new TallyCli();
        var clean = (await cli.RunAsync("daily", "--json", "-z", "UTC")).Json();

        using var damaged = new TallyCli();
        Damage(damaged);
        var json = (await damaged.RunAsync("daily", "--json", "-z", "UTC")).Json();
        Assert.Equal(3, json.GetProperty("tally").GetProperty("problems").GetInt64());
        Assert.Equal(clean.GetProperty("totals").GetRawText(), json.GetProperty("totals").GetRawText());

        var table = await damaged.RunAsync("daily", "-z", "UTC");
        Assert.Equal(0, table.ExitCode);
        Assert.Contains("3 transcript lines could not be counted; `tally problems` lists them", table.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("could not be counted", table.Console, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_clean_sample_has_no_problems()
    {
        using var cli = new TallyCli();
        var table = await cli.RunAsync("problems");
        Assert.Equal(0, table.ExitCode);
        Assert.Equal("Every transcript line was counted.", table.Console.Trim());

        var json = (await cli.RunAsync("problems", "--json")).Json();
        Assert.Empty(json.GetProperty("problems").EnumerateArray());
    }

    /// <summary>Appends a truncated line, a line that is not JSON and a line with negative tokens to a copy of 9b1e (lines 5–7).</summary>
    private static string Damage(TallyCli cli)
    {
        var root = cli.CopySample();
        var file = Path.Combine(root, "projects", "-home-alice-work-blog", "9b1e4d2a-3c4f-4a5b-8c6d-7e8f9a0b1c2d.jsonl");
        Assert.Equal(4, File.ReadAllLines(file).Length);
        File.AppendAllText(file, """{"type":"assistant","message":{"id":"msg_x","usage":{"input_tokens":""" + "\n" + "not json at all\n" + NegativeTokens + "\n");
        return file;
    }
}
