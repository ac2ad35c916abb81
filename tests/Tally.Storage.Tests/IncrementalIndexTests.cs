using Tally.Core.Pricing;
using Tally.Storage.Sqlite;

namespace Tally.Storage.Tests;

public class IncrementalIndexTests
{
    [Fact]
    public async Task Appends_read_only_the_new_bytes()
    {
        await using var index = new IndexHarness();
        var file = index.ProjectFile("-home-a-app/s1.jsonl");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        var first = Lines.Assistant("msg_1", 10, 20) + "\n";
        await File.WriteAllTextAsync(file, first);
        await index.SyncAsync();

        var second = Lines.Assistant("msg_2", 1, 2) + "\n";
        await File.AppendAllTextAsync(file, second);
        var report = await index.SyncAsync();
        Assert.Equal(System.Text.Encoding.UTF8.GetByteCount(second), report.BytesRead);
        Assert.Equal(2, (await IndexHarness.TotalsAsync(index.Store)).Calls);
    }

    [Fact]
    public async Task A_half_written_line_waits_until_it_is_complete()
    {
        await using var index = new IndexHarness();
        var file = index.ProjectFile("-home-a-app/s1.jsonl");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        var line = Lines.Assistant("msg_1", 10, 20);
        await File.WriteAllTextAsync(file, line[..(line.Length / 2)]);
        var report = await index.SyncAsync();
        Assert.Equal(0, report.Problems);
        Assert.Equal(0, (await IndexHarness.TotalsAsync(index.Store)).Calls);

        await File.AppendAllTextAsync(file, line[(line.Length / 2)..] + "\n");
        await index.SyncAsync();
        var totals = await IndexHarness.TotalsAsync(index.Store);
        Assert.Equal(1, totals.Calls);
        Assert.Equal(20, totals.Output);
        Assert.Empty(await index.Store.ProblemsAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Streamed_lines_keep_the_final_count_whichever_file_is_read_first()
    {
        foreach (var order in new[] { false, true })
        {
            await using var index = new IndexHarness();
            var a = index.ProjectFile("-home-a-app/a.jsonl");
            var b = index.ProjectFile("-home-a-app/b.jsonl");
            Directory.CreateDirectory(Path.GetDirectoryName(a)!);
            await File.WriteAllTextAsync(order ? a : b, Lines.Assistant("msg_1", 3, 1, at: "2026-11-20T09:50:01.000Z") + "\n");
            await index.SyncAsync();
            await File.WriteAllTextAsync(order ? b : a, Lines.Assistant("msg_1", 3, 412, at: "2026-11-20T09:50:02.000Z") + "\n");
            await index.SyncAsync();
            var totals = await IndexHarness.TotalsAsync(index.Store);
            Assert.Equal(1, totals.Calls);
            Assert.Equal(412, totals.Output);
            Assert.Equal(new DateTimeOffset(2026, 11, 20, 9, 50, 1, TimeSpan.Zero), totals.Rows.Single().FirstSeen);
        }
    }

    [Fact]
    public async Task A_sidechain_replay_loses_to_the_original_even_with_more_tokens()
    {
        await using var index = new IndexHarness();
        var main = index.ProjectFile("-home-a-app/main.jsonl");
        var side = index.ProjectFile("-home-a-app/side.jsonl");
        Directory.CreateDirectory(Path.GetDirectoryName(main)!);
        await File.WriteAllTextAsync(side, Lines.Assistant("msg_1", 3, 999, session: "other", sidechain: true) + "\n");
        await index.SyncAsync();
        await File.WriteAllTextAsync(main, Lines.Assistant("msg_1", 3, 400, session: "s1") + "\n");
        await index.SyncAsync();
        var row = (await IndexHarness.TotalsAsync(index.Store)).Rows.Single();
        Assert.Equal("s1", row.SessionId);
        Assert.Equal(400, row.Tokens.Output);
    }

    [Fact]
    public async Task A_truncated_file_is_read_again_without_double_counting()
    {
        await using var index = new IndexHarness();
        var file = index.ProjectFile("-home-a-app/s1.jsonl");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await File.WriteAllTextAsync(file, Lines.Assistant("msg_1", 1, 1) + "\n" + Lines.Assistant("msg_2", 1, 1) + "\n");
        await index.SyncAsync();
        await File.WriteAllTextAsync(file, Lines.Assistant("msg_3", 1, 1) + "\n");
        var report = await index.SyncAsync();
        Assert.Equal(1, report.FilesRestarted);
        Assert.Equal(3, (await IndexHarness.TotalsAsync(index.Store)).Calls);
    }

    [Fact]
    public async Task A_replaced_file_of_the_same_or_larger_size_is_detected()
    {
        await using var index = new IndexHarness();
        var file = index.ProjectFile("-home-a-app/s1.jsonl");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await File.WriteAllTextAsync(file, Lines.Assistant("msg_1", 1, 1, uuid: "u1") + "\n");
        await index.SyncAsync();
        var replacement = file + ".tmp";
        await File.WriteAllTextAsync(replacement, Lines.Assistant("msg_9", 1, 1, uuid: "u9") + "\n" + Lines.User() + "\n");
        File.Move(replacement, file, overwrite: true);
        var report = await index.SyncAsync();
        Assert.Equal(1, report.FilesRestarted);
        Assert.Equal(2, (await IndexHarness.TotalsAsync(index.Store)).Calls);
    }

    [Fact]
    public async Task Records_of_deleted_files_are_kept()
    {
        await using var index = new IndexHarness(TestData.ClaudeSample);
        await index.SyncAsync();
        Directory.Delete(Path.Combine(index.ClaudeDir, "projects", "-home-alice-work-blog"), recursive: true);
        var report = await index.SyncAsync();
        Assert.Equal(2, report.FilesMissing);
        Assert.Equal(8, (await IndexHarness.TotalsAsync(index.Store)).Calls);
    }

    [Fact]
    public async Task Malformed_lines_are_reported_with_file_and_line_and_the_rest_counts()
    {
        await using var index = new IndexHarness();
        var file = index.ProjectFile("-home-a-app/s1.jsonl");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await File.WriteAllTextAsync(file, string.Join('\n', Lines.Assistant("msg_1", 1, 1), "{not json", Lines.Assistant("msg_2", 1, 1).Replace("\"input_tokens\":1", "\"input_tokens\":\"1\"", StringComparison.Ordinal), Lines.Assistant("msg_3", 1, 1)) + "\n");
        var report = await index.SyncAsync();
        Assert.Equal(2, report.Problems);
        var problems = await index.Store.ProblemsAsync(CancellationToken.None);
        Assert.Equal([2L, 3L], problems.Select(p => p.Line));
        Assert.All(problems, p => Assert.Equal(file, p.File));
        Assert.Equal(2, (await IndexHarness.TotalsAsync(index.Store)).Calls);
    }

    [Fact]
    public async Task Changing_prices_reprices_the_records_they_affect()
    {
        await using var index = new IndexHarness(TestData.ClaudeSample);
        await index.SyncAsync();
        var before = await IndexHarness.TotalsAsync(index.Store);
        using var overrides = new MemoryStream("""{"version":"user","models":[{"id":"claude-unknown-99","prices":[{"from":"2020-01-01","input":1,"output":2,"cacheWrite5m":1.25,"cacheWrite1h":2,"cacheRead":0.1}]}]}"""u8.ToArray());
        index.Catalog = PriceCatalog.Embedded.Merge(PriceCatalog.Load(overrides));
        var report = await index.SyncAsync();
        Assert.Equal(1, report.Repriced);
        var after = await IndexHarness.TotalsAsync(index.Store);
        Assert.Equal(before.Cost + ((7 * 1m) + (70 * 2m) + (1000 * 0.1m)) / 1_000_000m, after.Cost);
    }

    [Fact]
    public async Task Two_processes_syncing_one_index_at_once_count_everything_once()
    {
        await using var index = new IndexHarness();
        for (var s = 0; s < 8; s++)
        {
            var file = index.ProjectFile($"-home-a-app/s{s}.jsonl");
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            await File.WriteAllLinesAsync(file, Enumerable.Range(0, 300).Select(i => Lines.Assistant($"msg_{s}_{i}", 1, 1, session: $"s{s}")));
        }

        await using var second = SqliteUsageStore.Open(index.DbPath);
        await Task.WhenAll(
            Task.Run(() => index.SyncAsync(index.Store, index.ClaudeDir, maxRecordsPerBatch: 50)),
            Task.Run(() => index.SyncAsync(second, index.ClaudeDir, maxRecordsPerBatch: 50)));
        Assert.Equal(2400, (await IndexHarness.TotalsAsync(index.Store)).Calls);
        Assert.Equal(2400, (await IndexHarness.TotalsAsync(second)).Calls);
    }
}
