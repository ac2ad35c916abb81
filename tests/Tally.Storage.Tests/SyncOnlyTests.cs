using Tally.Ingest.ClaudeCode;
using Tally.Ingest.Sync;

namespace Tally.Storage.Tests;

public class SyncOnlyTests
{
    [Fact]
    public async Task Syncing_only_some_files_reads_their_new_lines_and_looks_at_no_other_file()
    {
        await using var index = new IndexHarness();
        var a = index.ProjectFile("-home-a-app/a.jsonl");
        var b = index.ProjectFile("-home-a-app/b.jsonl");
        Directory.CreateDirectory(Path.GetDirectoryName(a)!);
        await File.WriteAllTextAsync(a, Lines.Assistant("msg_a1", 1, 2) + "\n");
        await File.WriteAllTextAsync(b, Lines.Assistant("msg_b1", 1, 2) + "\n");
        await index.SyncAsync();

        File.Delete(b);
        await File.AppendAllTextAsync(a, Lines.Assistant("msg_a2", 1, 2) + "\n");
        var info = new FileInfo(a);
        var sync = new TranscriptSync(index.Store, index.Catalog, new ProjectResolver(), parallelism: 1);
        var report = await sync.RunOnlyAsync([new TranscriptFile(a, info.Length, info.LastWriteTimeUtc.Ticks)], CancellationToken.None);
        Assert.Equal((1, 1L, 0), (report.FilesRead, report.RecordsRead, report.FilesMissing));
        Assert.False((await index.Store.LoadCursorsAsync(CancellationToken.None))[b].Missing);

        // The cursors of a few files are read alone: a status-line render does not load every file's.
        var some = await index.Store.LoadCursorsAsync([a, "/no/such/file.jsonl"], CancellationToken.None);
        Assert.Equal([a], some.Keys);
        Assert.Equal(info.Length, some[a].Offset);
        Assert.Equal(3, (await IndexHarness.TotalsAsync(index.Store)).Calls);

        // A full sync then notices the deleted file (its records stay).
        Assert.Equal(1, (await index.SyncAsync()).FilesMissing);
        Assert.Equal(3, (await IndexHarness.TotalsAsync(index.Store)).Calls);
    }
}
