using Tally.Storage.Sqlite;

namespace Tally.Storage.Tests;

/// <summary>Nasty input through a whole sync into a real index, compared with a fresh index of the final files.</summary>
public class NastyInputIndexTests
{
    [Fact]
    public async Task Lines_appended_after_a_last_line_without_newline_are_counted_once_at_the_same_line_numbers_as_a_fresh_scan()
    {
        await using var index = new IndexHarness();
        var file = index.ProjectFile("-home-a-app/s1.jsonl");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await File.WriteAllTextAsync(file, Lines.Assistant("msg_1", 1, 10) + "\n" + Lines.Assistant("msg_2", 1, 20));
        Assert.Equal(2, (await index.SyncAsync()).RecordsRead);

        await File.AppendAllTextAsync(file, "\n{not json\n" + Lines.Assistant("msg_3", 1, 30) + "\n");
        var report = await index.SyncAsync();
        Assert.Equal(1, report.RecordsRead);
        Assert.Equal(1, report.Problems);

        await using var fresh = SqliteUsageStore.Open(Path.Combine(index.Root, "fresh", "tally.db"));
        await index.SyncAsync(fresh, index.ClaudeDir);
        Assert.Equal(await fresh.ProblemsAsync(CancellationToken.None), await index.Store.ProblemsAsync(CancellationToken.None));
        Assert.Equal(3, (await index.Store.ProblemsAsync(CancellationToken.None)).Single().Line);
        var totals = await IndexHarness.TotalsAsync(index.Store);
        Assert.Equal(3, totals.Calls);
        Assert.Equal(60, totals.Output);
        Assert.Equal((await IndexHarness.TotalsAsync(fresh)).Fingerprint, totals.Fingerprint);
    }

    [Fact]
    public async Task A_ten_megabyte_line_between_usage_lines_is_indexed_and_appends_after_it_are_read_incrementally()
    {
        await using var index = new IndexHarness();
        var file = index.ProjectFile("-home-a-app/s1.jsonl");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        var huge = Lines.User().Replace("\"content\":\"go\"", "\"content\":\"" + new string('y', 10 * 1024 * 1024) + "\"", StringComparison.Ordinal);
        await File.WriteAllTextAsync(file, Lines.Assistant("msg_1", 1, 10) + "\n" + huge + "\n" + Lines.Assistant("msg_2", 1, 20) + "\n");
        var first = await index.SyncAsync();
        Assert.Equal(2, first.RecordsRead);
        Assert.Equal(0, first.Problems);

        var appended = Lines.Assistant("msg_3", 1, 30) + "\n";
        await File.AppendAllTextAsync(file, appended);
        var second = await index.SyncAsync();
        Assert.Equal(0, second.FilesRestarted);
        Assert.Equal(appended.Length, second.BytesRead);
        Assert.Equal(60, (await IndexHarness.TotalsAsync(index.Store)).Output);
    }
}
