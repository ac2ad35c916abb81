using Tally.Ingest.Demo;
using Tally.Storage.Sqlite;

namespace Tally.Storage.Tests;

/// <summary>
/// The first sync of an empty index writes without waiting for the disk (SQLite's <c>synchronous = OFF</c>), and only
/// that one: once the index holds anything, every commit waits as before, and the build leaves the setting restored
/// whether it finished or failed.
/// </summary>
public class FirstBuildTests
{
    private const long Off = 0;
    private const long Normal = 1;

    [Fact]
    public async Task Only_the_first_sync_of_an_empty_index_skips_waiting_for_the_disk()
    {
        await using var index = new IndexHarness();
        new CorpusGenerator().Write(index.ClaudeDir, CorpusOptions.Demo(new DateOnly(2026, 11, 20)) with { TargetBytes = 200_000 });
        var seen = new List<long>();
        index.Store.BeforeCommit = _ => seen.Add(index.Store.ReadPragma("synchronous"));

        Assert.Equal(Normal, index.Store.ReadPragma("synchronous"));
        await index.SyncAsync(maxRecordsPerBatch: 64);
        Assert.NotEmpty(seen);
        Assert.All(seen, s => Assert.Equal(Off, s));
        Assert.Equal(Normal, index.Store.ReadPragma("synchronous"));

        // What the build wrote is in the index file itself: the closing checkpoint copied every page the log held.
        Assert.Equal(index.Store.ReadPragma("page_count") * index.Store.ReadPragma("page_size"), new FileInfo(index.DbPath).Length);

        seen.Clear();
        var first = Directory.EnumerateFiles(Path.Combine(index.ClaudeDir, "projects"), "*.jsonl", SearchOption.AllDirectories).Order(StringComparer.Ordinal).First();
        File.Copy(first, Path.Combine(Path.GetDirectoryName(first)!, "copy.jsonl"));
        await index.SyncAsync();
        Assert.NotEmpty(seen);
        Assert.All(seen, s => Assert.Equal(Normal, s));
    }

    [Fact]
    public async Task A_first_build_that_fails_leaves_commits_waiting_for_the_disk_again()
    {
        await using var index = new IndexHarness();
        new CorpusGenerator().Write(index.ClaudeDir, CorpusOptions.Demo(new DateOnly(2026, 11, 20)) with { TargetBytes = 200_000 });
        var commits = 0;
        index.Store.BeforeCommit = _ =>
        {
            if (++commits == 3)
            {
                throw new IOException("killed before commit");
            }
        };

        await Assert.ThrowsAsync<IOException>(() => index.SyncAsync(maxRecordsPerBatch: 32));
        Assert.Equal(Normal, index.Store.ReadPragma("synchronous"));

        // The commits before the failure stand, so the next sync is not a first build.
        var seen = new List<long>();
        index.Store.BeforeCommit = _ => seen.Add(index.Store.ReadPragma("synchronous"));
        await index.SyncAsync(maxRecordsPerBatch: 32);
        Assert.NotEmpty(seen);
        Assert.All(seen, s => Assert.Equal(Normal, s));
    }
}
