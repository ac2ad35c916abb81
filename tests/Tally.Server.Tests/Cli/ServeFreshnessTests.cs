using Tally.Cli.App;
using Tally.Ingest.Sync;
using Tally.Server.Tests.Harness;

namespace Tally.Server.Tests.Cli;

/// <summary>While <c>tally serve</c> watches the transcripts, a command asks it whether the index is current instead of
/// looking at every transcript itself; the answer is exact, and <c>tally sync</c> still walks.</summary>
public partial class ServeCommandTests
{
    [Fact]
    public async Task A_command_run_while_serve_watches_walks_no_transcript_and_still_counts_a_line_written_just_before()
    {
        using var temp = new TempDirectory();
        var claude = Path.Combine(temp.Path, "claude");
        foreach (var file in Directory.EnumerateFiles(TestData.ClaudeSample, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(claude, Path.GetRelativePath(TestData.ClaudeSample, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        var transcript = Path.Combine(claude, "projects", "-home-alice-work-blog", "9b1e4d2a-3c4f-4a5b-8c6d-7e8f9a0b1c2d.jsonl");
        using var cli = new TallyCli(claude, new FakeClock(new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.Zero)));
        cli.Variables["XDG_RUNTIME_DIR"] = Directory.CreateDirectory(Path.Combine(temp.Path, "run")).FullName;
        var socket = FreshnessSocket.PathFor(Path.Combine(cli.Variables["TALLY_DATA_DIR"]!, "index.db"), cli.Variables.GetValueOrDefault);

        // Without a watcher, a command walks (and says nothing of a watcher).
        Assert.False((await OpenAsync(cli)).Vouched);

        var (code, _, _) = await ServeAsync(cli, ["serve", "--port", "0"], async _ =>
        {
            // Serve vouches once its first full sync is done.
            var deadline = DateTime.UtcNow + GiveUp;
            var question = new FreshnessRequest(Path.Combine(cli.Variables["TALLY_DATA_DIR"]!, "index.db"), [Path.Combine(claude, "projects")]);
            while ((await FreshnessClient.AskAsync(socket, question, GiveUp, CancellationToken.None))?.Fresh != true)
            {
                Assert.True(DateTime.UtcNow < deadline, "serve never vouched for the index");
                await Task.Delay(100);
            }

            // A line written, and at once a command: it walks nothing, and the line is in what it reports.
            var before = CacheReads(await cli.JsonAsync("daily", "--json", "--since", "20261120"));
            await File.AppendAllTextAsync(transcript, Line("msg_01ServeVouchedLine00001", "2026-11-20T11:30:00.000Z"));
            var sync = await OpenAsync(cli);
            Assert.True(sync.Vouched);
            Assert.Equal(0, sync.FilesSeen);
            Assert.Equal(before + 100, CacheReads(await cli.JsonAsync("daily", "--json", "--since", "20261120")));

            // `tally sync` is asked to say what it read: it walks the transcripts even with a watcher running.
            var (syncCode, _, syncOutput, _) = await cli.RunAsync(["sync"]);
            Assert.Equal(0, syncCode);
            Assert.Contains("Transcripts: 4 found, 0 read", syncOutput, StringComparison.Ordinal);

            // Asked about other folders, serve says no, and the command walks.
            Assert.False((await FreshnessClient.AskAsync(socket, question with { Folders = [Path.Combine(temp.Path, "projects")] }, GiveUp, CancellationToken.None))!.Fresh);
        });

        Assert.Equal(0, code);
        Assert.False(File.Exists(socket));
        Assert.False((await OpenAsync(cli)).Vouched);
    }

    private static async Task<SyncReport> OpenAsync(TallyCli cli)
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();
        await using var run = await TallyRun.OpenAsync(new GlobalSettings(), cli.Environment(output, TallyCli.NewConsole(), errors, TallyCli.NewConsole()), CancellationToken.None);
        return run.Sync!;
    }

    private static long CacheReads(System.Text.Json.JsonElement daily) => daily.GetProperty("totals").GetProperty("cacheReadTokens").GetInt64();
}
