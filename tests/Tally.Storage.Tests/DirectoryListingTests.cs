using Tally.Core.Storage;
using Tally.Storage.Sqlite;

namespace Tally.Storage.Tests;

/// <summary>
/// A warm sync lists only the directories whose entries changed since the listings the index kept, and still sees
/// every transcript that grew, appeared, shrank, was replaced or disappeared. Real files, a real index; the wall clock
/// is moved on (<see cref="IndexHarness.Clock"/>) where a test needs the directories it just wrote to count as settled.
/// </summary>
public class DirectoryListingTests
{
    [Fact]
    public async Task A_file_appended_in_a_directory_whose_listing_was_kept_is_read()
    {
        await using var index = Settled(new IndexHarness());
        var session = Write(index, "-home-a-app/s1.jsonl", "msg_1");
        var agent = Write(index, "-home-a-app/s1/subagents/agent-1.jsonl", "msg_2");
        await index.SyncAsync();
        Assert.Equal((4, 0), Listed(index)); // projects/, the project, the session's folder, subagents/

        await File.AppendAllTextAsync(session, Lines.Assistant("msg_3", 1, 2) + "\n");
        await File.AppendAllTextAsync(agent, Lines.Assistant("msg_4", 1, 2) + "\n");
        var report = await index.SyncAsync();
        Assert.Equal((0, 4), Listed(index));
        Assert.Equal((2, 2L), (report.FilesRead, report.RecordsRead));
        Assert.Equal(4, (await IndexHarness.TotalsAsync(index.Store)).Calls);

        // Nothing changed: nothing listed, nothing read, nothing written.
        var again = await index.SyncAsync();
        Assert.Equal((0, 4), Listed(index));
        Assert.Equal((2, 0), (again.FilesSeen, again.FilesRead));
        Assert.Empty(index.LastDiscovery!.Listed);
    }

    [Fact]
    public async Task A_new_file_in_a_directory_whose_listing_was_kept_is_found()
    {
        await using var index = Settled(new IndexHarness());
        Write(index, "-home-a-app/s1.jsonl", "msg_1");
        Write(index, "-home-a-app/s1/subagents/agent-1.jsonl", "msg_2");
        await index.SyncAsync();

        Write(index, "-home-a-app/s2.jsonl", "msg_3");
        Write(index, "-home-a-app/s1/subagents/agent-2.jsonl", "msg_4");
        var report = await index.SyncAsync();
        Assert.Equal((2, 2), Listed(index)); // the project and subagents/ gained an entry; projects/ and s1/ did not
        Assert.Equal((2, 2L), (report.FilesRead, report.RecordsRead));
        Assert.Equal(4, (await IndexHarness.TotalsAsync(index.Store)).Calls);
    }

    [Fact]
    public async Task New_subdirectories_and_projects_are_found()
    {
        await using var index = Settled(new IndexHarness());
        Write(index, "-home-a-app/s1.jsonl", "msg_1");
        await index.SyncAsync();
        Assert.Equal((2, 0), Listed(index));

        Write(index, "-home-a-app/s1/subagents/agent-1.jsonl", "msg_2");
        Write(index, "-home-b-web/s2.jsonl", "msg_3");
        Write(index, "-home-b-web/deep/er/x.jsonl", "msg_4");
        var report = await index.SyncAsync();
        Assert.Equal((3L, 4), (report.RecordsRead, report.FilesSeen));
        Assert.Equal(4, (await IndexHarness.TotalsAsync(index.Store)).Calls);
        Assert.Equal((7, 0), Listed(index)); // every directory there is is new or gained one

        await index.SyncAsync();
        Assert.Equal((0, 7), Listed(index));
    }

    [Fact]
    public async Task A_removed_file_is_marked_missing_and_a_removed_directory_forgotten()
    {
        await using var index = Settled(new IndexHarness());
        Write(index, "-home-a-app/s1.jsonl", "msg_1");
        var agent = Write(index, "-home-a-app/s1/subagents/agent-1.jsonl", "msg_2");
        Write(index, "-home-a-app/s1/subagents/agent-2.jsonl", "msg_3");
        await index.SyncAsync();

        File.Delete(agent);
        var report = await index.SyncAsync();
        Assert.Equal((1, 3), Listed(index));
        Assert.Equal(1, report.FilesMissing);
        Assert.True((await index.Store.LoadCursorsAsync(CancellationToken.None))[agent].Missing);

        Directory.Delete(Path.Combine(index.ClaudeDir, "projects", "-home-a-app", "s1"), recursive: true);
        report = await index.SyncAsync();
        Assert.Equal(1, report.FilesMissing);
        Assert.Equal(2, index.LastDiscovery!.Gone.Count);
        Assert.Equal(
            [Path.Combine(index.ClaudeDir, "projects"), Path.Combine(index.ClaudeDir, "projects", "-home-a-app")],
            (await index.Store.LoadListingsAsync(CancellationToken.None)).Select(static l => l.Path).Order(StringComparer.Ordinal));
        Assert.Equal(3, (await IndexHarness.TotalsAsync(index.Store)).Calls); // records of deleted files stay
    }

    [Fact]
    public async Task A_directory_changed_within_the_settle_time_of_its_listing_is_listed_again()
    {
        await using var index = new IndexHarness();
        Write(index, "-home-a-app/s1.jsonl", "msg_1");
        var project = Path.Combine(index.ClaudeDir, "projects", "-home-a-app");
        var changed = new[] { project, Path.GetDirectoryName(project)! }.Max(Directory.GetLastWriteTimeUtc);

        // Listed a second after its last change: an entry added later in the same timestamp tick would leave its
        // stamp as it was, so the listing is not trusted, though the stamp is unchanged.
        var clock = new TestClock(new DateTimeOffset(changed, TimeSpan.Zero).AddSeconds(1));
        index.Clock = clock;
        await index.SyncAsync();
        Assert.Equal((2, 0), Listed(index));
        await index.SyncAsync();
        Assert.Equal((2, 0), Listed(index));

        // Listed a minute later: settled, and trusted from the next sync on.
        clock.Now = clock.Now.AddMinutes(1);
        await index.SyncAsync();
        Assert.Equal((2, 0), Listed(index));
        await index.SyncAsync();
        Assert.Equal((0, 2), Listed(index));
    }

    [Fact]
    public async Task A_directory_replaced_by_another_is_listed_again()
    {
        await using var index = Settled(new IndexHarness());
        Write(index, "-home-a-app/s1.jsonl", "msg_1");
        await index.SyncAsync();

        var project = Path.Combine(index.ClaudeDir, "projects", "-home-a-app");
        var other = Path.Combine(index.Root, "elsewhere");
        Directory.CreateDirectory(other);
        await File.WriteAllTextAsync(Path.Combine(other, "s9.jsonl"), Lines.Assistant("msg_9", 1, 2) + "\n");
        Directory.Move(project, Path.Combine(index.Root, "old"));
        Directory.Move(other, project);
        var report = await index.SyncAsync();
        Assert.Equal((1L, 1), (report.RecordsRead, report.FilesMissing));
        Assert.Equal((2, 0), Listed(index));
    }

    [Fact]
    public async Task An_index_of_schema_9_gains_the_listings_table_and_keeps_its_records()
    {
        await using var index = new IndexHarness(TestData.ClaudeSample);
        await index.SyncAsync();
        var before = await IndexHarness.TotalsAsync(index.Store);
        await index.Store.DisposeAsync();
        using (var old = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={index.DbPath};Pooling=False"))
        {
            old.Open();
            using var downgrade = old.CreateCommand();
            downgrade.CommandText = "DROP TABLE dirs; PRAGMA user_version = 9;";
            downgrade.ExecuteNonQuery();
        }

        await using var store = SqliteUsageStore.Open(index.DbPath);
        Assert.Empty(await store.LoadListingsAsync(CancellationToken.None));
        index.Clock = new TestClock(DateTimeOffset.UtcNow.AddMinutes(1));
        var report = await index.SyncAsync(store, index.ClaudeDir);
        Assert.Equal(0, report.FilesRead); // every cursor still matches the files' stat
        Assert.Equal(before.Fingerprint, (await IndexHarness.TotalsAsync(store)).Fingerprint);
        Assert.Equal(index.LastDiscovery!.DirectoriesListed, (await store.LoadListingsAsync(CancellationToken.None)).Count);
        await index.SyncAsync(store, index.ClaudeDir);
        Assert.Equal(0, index.LastDiscovery!.DirectoriesListed);
    }

    /// <summary>Moves the harness's wall clock a minute on: the directories a test writes count as settled.</summary>
    private static IndexHarness Settled(IndexHarness index)
    {
        index.Clock = new TestClock(DateTimeOffset.UtcNow.AddMinutes(1));
        return index;
    }

    private static (int Listed, int Reused) Listed(IndexHarness index) =>
        (index.LastDiscovery!.DirectoriesListed, index.LastDiscovery.DirectoriesReused);

    private static string Write(IndexHarness index, string relative, string id)
    {
        var path = index.ProjectFile(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, Lines.Assistant(id, 1, 2) + "\n");
        return path;
    }
}
