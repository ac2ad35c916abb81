using Tally.Ingest.Sync;

namespace Tally.Ingest.Tests.Sync;

/// <summary>The watcher hands over the transcripts that changed, and only those (real inotify on a temporary folder).</summary>
public class TranscriptWatcherTests
{
    // A bound for the test never to hang on a broken watcher, not a timing claim: events arrive in milliseconds.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_growing_transcript_and_a_new_subagent_folder_are_reported_and_nothing_else()
    {
        using var temp = new TempDirectory();
        var projects = Path.Combine(temp.Path, "projects");
        var project = Directory.CreateDirectory(Path.Combine(projects, "-home-me-app")).FullName;
        var session = Path.Combine(project, "s1.jsonl");
        var quiet = Path.Combine(project, "s0.jsonl");
        await File.WriteAllTextAsync(session, "{}\n");
        await File.WriteAllTextAsync(quiet, "{}\n");
        using var watcher = new TranscriptWatcher([projects, Path.Combine(temp.Path, "absent")], TimeSpan.FromMilliseconds(50));
        Assert.Equal(1, watcher.Watching);

        await File.AppendAllTextAsync(session, "{\"a\":1}\n");
        await File.WriteAllTextAsync(Path.Combine(project, "notes.txt"), "not a transcript");
        Assert.Equal([session], await NextAsync(watcher));

        var subagents = Path.Combine(project, "s1", "subagents");
        Directory.CreateDirectory(subagents);
        var agent = Path.Combine(subagents, "agent-a1.jsonl");
        await File.WriteAllTextAsync(agent, "{}\n");
        Assert.Contains(agent, await NextAsync(watcher));

        Assert.Empty(await watcher.WaitAsync(TimeSpan.FromMilliseconds(300), CancellationToken.None) ?? ["overflow"]);
    }

    [Fact]
    public async Task A_folder_the_system_will_not_watch_is_reported_and_polled_instead_of_failing()
    {
        using var temp = new TempDirectory();
        var watched = Directory.CreateDirectory(Path.Combine(temp.Path, "a", "projects")).FullName;
        var refused = Directory.CreateDirectory(Path.Combine(temp.Path, "b", "projects")).FullName;
        const string Limit = "The configured user limit (128) on the number of inotify instances has been reached.";
        using var watcher = new TranscriptWatcher([watched, refused], TimeSpan.FromMilliseconds(50), folder => folder == refused ? Limit : null);

        Assert.Equal(1, watcher.Watching);
        Assert.Equal([$"{refused}: {Limit}"], watcher.Unwatched);

        // A quiet wait ends early asking for a full sync (which reads the unwatched folder), not with "nothing changed".
        Assert.Null(await watcher.WaitAsync(Patience, CancellationToken.None));

        // The folder that is watched still reports its changes.
        var session = Path.Combine(watched, "-home-me-app", "s1.jsonl");
        Directory.CreateDirectory(Path.GetDirectoryName(session)!);
        await File.WriteAllTextAsync(session, "{}\n");
        Assert.Contains(session, await NextChangesAsync(watcher));
    }

    [Fact]
    public void A_take_reads_the_kernel_queue_so_a_write_that_just_returned_is_named_at_once()
    {
        using var temp = new TempDirectory();
        var projects = Path.Combine(temp.Path, "projects");
        var project = Directory.CreateDirectory(Path.Combine(projects, "-home-me-app")).FullName;
        var session = Path.Combine(project, "s1.jsonl");
        File.WriteAllText(session, "{}\n");

        // A settle of a minute: nothing is handed over by the waiting side during this test.
        using var watcher = new TranscriptWatcher([projects], TimeSpan.FromMinutes(1));
        Assert.True(watcher.Exact);
        Assert.Empty(watcher.TakeChanges()!);

        // No waiting between the write and the take: the take itself reads what the kernel queued.
        for (var i = 0; i < 50; i++)
        {
            File.AppendAllText(session, "{\"a\":1}\n");
            Assert.Equal([session], watcher.TakeChanges());
        }

        // A folder made with a transcript already in it (a session's subagents/): watched, then listed.
        var subagents = Path.Combine(project, "s1", "subagents");
        Directory.CreateDirectory(subagents);
        var agent = Path.Combine(subagents, "agent-a1.jsonl");
        File.WriteAllText(agent, "{}\n");
        Assert.Equal([agent], watcher.TakeChanges());
        File.AppendAllText(agent, "{}\n");
        Assert.Equal([agent], watcher.TakeChanges());

        // A folder moved in from outside, transcripts and all.
        var outside = Directory.CreateDirectory(Path.Combine(temp.Path, "elsewhere", "-home-me-lib")).FullName;
        File.WriteAllText(Path.Combine(outside, "s9.jsonl"), "{}\n");
        Directory.Move(outside, Path.Combine(projects, "-home-me-lib"));
        Assert.Equal([Path.Combine(projects, "-home-me-lib", "s9.jsonl")], watcher.TakeChanges());
        Assert.True(watcher.Exact);
    }

    [Fact]
    public void A_transcript_or_folder_that_goes_away_asks_for_a_full_sync_and_a_moved_folder_for_a_new_watch()
    {
        using var temp = new TempDirectory();
        var projects = Path.Combine(temp.Path, "projects");
        var project = Directory.CreateDirectory(Path.Combine(projects, "-home-me-app")).FullName;
        var session = Path.Combine(project, "s1.jsonl");
        File.WriteAllText(session, "{}\n");
        File.WriteAllText(Path.Combine(project, "s2.jsonl"), "{}\n");
        using var watcher = new TranscriptWatcher([projects], TimeSpan.FromMinutes(1));

        File.Delete(session);
        Assert.Null(watcher.TakeChanges()); // the full sync marks it gone
        Assert.Empty(watcher.TakeChanges()!);
        Assert.True(watcher.Exact);

        Directory.Move(project, Path.Combine(projects, "-home-me-app2"));
        Assert.Null(watcher.TakeChanges());
        Assert.False(watcher.Exact); // the moved folder's watch still carries its old path
        Assert.True(watcher.NeedsRenewal);

        watcher.Renew();
        Assert.True(watcher.Exact);
        Assert.False(watcher.NeedsRenewal);
        Assert.Null(watcher.TakeChanges()); // a new watch: the caller syncs everything once
        var moved = Path.Combine(projects, "-home-me-app2", "s2.jsonl");
        File.AppendAllText(moved, "{}\n");
        Assert.Equal([moved], watcher.TakeChanges());
    }

    [Fact]
    public void A_watcher_with_a_folder_the_system_refused_is_not_exact()
    {
        using var temp = new TempDirectory();
        var watched = Directory.CreateDirectory(Path.Combine(temp.Path, "a", "projects")).FullName;
        var refused = Directory.CreateDirectory(Path.Combine(temp.Path, "b", "projects")).FullName;
        using var watcher = new TranscriptWatcher([watched, refused], TimeSpan.FromMilliseconds(50), folder => folder == refused ? "No space left on device" : null);

        Assert.False(watcher.Exact);
        Assert.Equal([$"{refused}: No space left on device"], watcher.Unwatched);
        Assert.False(watcher.NeedsRenewal); // it is polled: a new watch would be refused again

        // A projects/ folder that appears later (Claude Code's first run under a new root) does call for a new watch.
        var later = Path.Combine(temp.Path, "c", "projects");
        using var growing = new TranscriptWatcher([watched, later], TimeSpan.FromMilliseconds(50));
        Assert.False(growing.NeedsRenewal);
        Directory.CreateDirectory(later);
        Assert.True(growing.NeedsRenewal);
        growing.Renew();
        Assert.Equal(2, growing.Watching);
        Assert.False(growing.NeedsRenewal);
    }

    private static async Task<IReadOnlyList<string>> NextChangesAsync(TranscriptWatcher watcher)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (true)
        {
            if (await watcher.WaitAsync(Patience, timeout.Token) is { Count: > 0 } batch)
            {
                return batch;
            }
        }
    }

    private static async Task<IReadOnlyList<string>> NextAsync(TranscriptWatcher watcher)
    {
        var found = new List<string>();
        using var timeout = new CancellationTokenSource(Patience);
        while (found.Count == 0)
        {
            var batch = await watcher.WaitAsync(Patience, timeout.Token);
            Assert.NotNull(batch);
            found.AddRange(batch);
        }

        return found;
    }
}
