using System.Text.Json;
using Tally.Cli.Tests.Harness;
using static Tally.Cli.Tests.Harness.JsonChecks;

namespace Tally.Cli.Tests.App;

public class IncrementalTests
{
    private const string AcmeFile = "projects/-home-alice-work-acme-api/5f0c2c1e-7a7b-4f0e-9a57-1c2d3e4f5a6b.jsonl";

    // A new Sonnet 4.5 call in the acme-api session at 11:30Z: 20 in, 30,000 reads, and 500 then 800 output tokens as it streams.
    private static readonly decimal NewCallFinal = Prices.M(20, 3) + Prices.M(30_000, 0.30m) + Prices.M(800, 15);

    /// <summary>An index a newer Tally wrote is refused with a message (never a stack trace) and left as it is.</summary>
    [Fact]
    public async Task An_index_written_by_a_newer_tally_is_refused_with_a_message_and_left_alone()
    {
        using var cli = new TallyCli();
        cli.CopySample();
        Assert.Equal(0, (await cli.RunAsync("daily", "--json")).ExitCode);
        var index = Path.Combine(cli.DataDir, "index.db");
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={index};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA user_version = 999;";
            command.ExecuteNonQuery();
        }

        foreach (var args in new[] { new[] { "daily" }, ["serve", "--port", "0"] })
        {
            var result = await cli.RunAsync(args);
            Assert.Equal(1, result.ExitCode);
            Assert.Contains("written by a newer Tally (schema 999", result.Error, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", result.Error + result.Console, StringComparison.Ordinal);
        }

        // The status line always prints a line: here, the reason.
        var status = await cli.RunWithInputAsync("{}", "statusline");
        Assert.Contains("newer Tally", status.Out, StringComparison.Ordinal);

        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={index};Mode=ReadOnly;Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA user_version;";
            Assert.Equal(999L, command.ExecuteScalar());
        }
    }

    [Fact]
    public async Task Appended_lines_are_counted_once_on_the_next_run()
    {
        using var cli = new TallyCli();
        var root = cli.CopySample();
        var file = Path.Combine(root, AcmeFile);
        var first = (await cli.RunAsync("daily", "--json", "-z", "UTC")).Json();
        Assert.Equal(8, Totals(first).GetProperty("requests").GetInt64());

        File.AppendAllText(file, Assistant(output: 500, uuid: 1) + "\n");
        var second = (await cli.RunAsync("daily", "--json", "-z", "UTC")).Json();
        AssertTokens(Totals(second), input: 147 + 20, output: 3_982 + 500, cacheCreation: 22_000, cacheRead: 272_000 + 30_000);
        Assert.Equal(9, Totals(second).GetProperty("requests").GetInt64());
        Assert.Equal(TotalCost(first) + Prices.M(20, 3) + Prices.M(30_000, 0.30m) + Prices.M(500, 15), TotalCost(second));
        Assert.Equal(0.469587m + 0.01656m, TotalCost(second));

        // The final streamed line of the same message replaces the first; a byte-identical copy of the legacy line and
        // of the whole earlier exchange add nothing.
        var legacy = File.ReadLines(file).First(static l => l.Contains("\"costUSD\"", StringComparison.Ordinal) && l.Contains("a0000000-0000-4000-8000-000000000008", StringComparison.Ordinal) && l.Contains("legacy", StringComparison.Ordinal));
        var earlier = File.ReadLines(file).Skip(1).Take(6).ToList();
        File.AppendAllLines(file, [Assistant(output: 800, uuid: 2), legacy, .. earlier]);
        var third = (await cli.RunAsync("daily", "--json", "-z", "UTC")).Json();
        AssertTokens(Totals(third), input: 147 + 20, output: 3_982 + 800, cacheCreation: 22_000, cacheRead: 272_000 + 30_000);
        Assert.Equal(9, Totals(third).GetProperty("requests").GetInt64());
        Assert.Equal(TotalCost(first) + NewCallFinal, TotalCost(third));
        Assert.Equal(0.469587m + 0.02106m, TotalCost(third));
        Assert.Equal("2026-11-20T11:30:00.000Z", Totals(third).GetProperty("lastActivity").GetString());

        // Nothing new: nothing read, the same report.
        var sync = await cli.RunAsync("sync");
        Assert.Contains("Transcripts: 4 found, 0 read", sync.Console, StringComparison.Ordinal);
        var fourth = (await cli.RunAsync("daily", "--json", "-z", "UTC")).Json();
        Assert.Equal(third.GetRawText(), fourth.GetRawText());
    }

    [Fact]
    public async Task A_half_written_last_line_waits_until_it_is_complete()
    {
        using var cli = new TallyCli();
        var root = cli.CopySample();
        var file = Path.Combine(root, AcmeFile);
        var line = Assistant(output: 800, uuid: 3);
        File.AppendAllText(file, line[..40]);

        var partial = (await cli.RunAsync("daily", "--json", "-z", "UTC")).Json();
        Assert.Equal(8, Totals(partial).GetProperty("requests").GetInt64());
        Assert.Equal(0, partial.GetProperty("tally").GetProperty("problems").GetInt64());

        File.AppendAllText(file, line[40..] + "\n");
        var complete = (await cli.RunAsync("daily", "--json", "-z", "UTC")).Json();
        Assert.Equal(9, Totals(complete).GetProperty("requests").GetInt64());
        Assert.Equal(TotalCost(partial) + NewCallFinal, TotalCost(complete));
        Assert.Equal(0, complete.GetProperty("tally").GetProperty("problems").GetInt64());
    }

    [Fact]
    public async Task A_new_transcript_file_is_picked_up()
    {
        using var cli = new TallyCli();
        var root = cli.CopySample();
        var before = (await cli.RunAsync("session", "--json", "-z", "UTC")).Json();
        Assert.Equal(3, before.GetProperty("sessions").GetArrayLength());

        var session = "77777777-0000-4000-8000-000000000000";
        File.WriteAllText(Path.Combine(root, "projects", "-home-alice-work-acme-api", session + ".jsonl"), Assistant(output: 800, uuid: 4).Replace("5f0c2c1e-7a7b-4f0e-9a57-1c2d3e4f5a6b", session, StringComparison.Ordinal) + "\n");
        var after = (await cli.RunAsync("session", "--json", "-z", "UTC")).Json();
        var newest = after.GetProperty("sessions").EnumerateArray().Last();
        Assert.Equal(session, newest.GetProperty("sessionId").GetString());
        Assert.Equal(NewCallFinal, newest.GetProperty("totalCost").GetDecimal());
        Assert.Equal(TotalCost(before) + NewCallFinal, TotalCost(after));
    }

    /// <summary>Every run keeps what it listed of each settled directory (a later run lists only directories whose entries
    /// changed; see Tally.Storage.Tests' DirectoryListingTests), and forgets a directory that is gone.</summary>
    [Fact]
    public async Task Each_run_keeps_the_directories_it_listed_and_forgets_those_that_are_gone()
    {
        using var cli = new TallyCli { FileClock = new TestClock(DateTimeOffset.UtcNow.AddMinutes(1)) };
        var root = cli.CopySample();
        var projects = Path.Combine(root, "projects");
        Assert.Equal(0, (await cli.RunAsync("daily", "--json")).ExitCode);
        var everyDirectory = Directory.EnumerateDirectories(projects, "*", SearchOption.AllDirectories).Append(projects).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(everyDirectory, KeptListings(cli));

        Directory.Delete(Path.Combine(projects, "-home-alice-work-blog"), recursive: true);
        Assert.Equal(0, (await cli.RunAsync("daily", "--json")).ExitCode);
        Assert.Equal(everyDirectory.Where(static d => !d.Contains("-home-alice-work-blog", StringComparison.Ordinal)), KeptListings(cli));

        // --no-sync lists nothing and keeps nothing.
        Directory.CreateDirectory(Path.Combine(projects, "-home-alice-new"));
        Assert.Equal(0, (await cli.RunAsync("daily", "--json", "--no-sync")).ExitCode);
        Assert.DoesNotContain(Path.Combine(projects, "-home-alice-new"), KeptListings(cli));
    }

    private static List<string> KeptListings(TallyCli cli)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(cli.DataDir, "index.db")};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT path FROM dirs ORDER BY path;";
        using var reader = command.ExecuteReader();
        var paths = new List<string>();
        while (reader.Read())
        {
            paths.Add(reader.GetString(0));
        }

        return paths;
    }

    private static JsonElement Totals(JsonElement report) => report.GetProperty("totals");

    private static string Assistant(long output, int uuid) =>
        "{\"parentUuid\":\"a0000000-0000-4000-8000-000000000008\",\"isSidechain\":false,\"userType\":\"external\",\"cwd\":\"/home/alice/work/acme-api\","
        + "\"sessionId\":\"5f0c2c1e-7a7b-4f0e-9a57-1c2d3e4f5a6b\",\"version\":\"2.0.14\",\"gitBranch\":\"main\",\"message\":{\"id\":\"msg_01AaaaAppended00000001\","
        + "\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5-20250929\",\"content\":[{\"type\":\"text\",\"text\":\"More.\"}],"
        + "\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":20,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":30000,"
        + $"\"output_tokens\":{output},\"service_tier\":\"standard\"}}}},\"requestId\":\"req_011CAaaaAppended000001\",\"type\":\"assistant\","
        + $"\"uuid\":\"f0000000-0000-4000-8000-00000000000{uuid}\",\"timestamp\":\"2026-11-20T11:30:0{uuid - 1}.000Z\"}}";
}
